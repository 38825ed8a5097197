"""A whole elepay conversation through the official elepay Python SDK (elepay-python-sdk 1.2.0),
unmodified, against an elepay emulator: charges, status, capture, revoke, refunds, EasyQR codes,
listing and a wrong key. The SDK validates every answer against elepay's schemas, so a wrong type,
enum or content type in the emulator raises here.

Usage: python conversation.py EMULATOR_URL SECRET_KEY
Exits 0 when every step passed; prints the first failing step otherwise.
"""

import json
import sys
import urllib.request
from uuid import uuid4

from elepay import ApiException
from elepay.api_client import ApiClient, Configuration
from elepay.apis.tags.charge_api import ChargeApi
from elepay.apis.tags.code_api import CodeApi
from elepay.apis.tags.refund_api import RefundApi
from elepay.model.charge_capture_req import ChargeCaptureReq
from elepay.model.charge_req import ChargeReq
from elepay.model.code_req import CodeReq
from elepay.model.refund_req import RefundReq

BASE_URL, SECRET_KEY = sys.argv[1], sys.argv[2]
STEPS = []


def step(name):
    def run(fn):
        fn()
        STEPS.append(name)
        print(f"ok   {name}", flush=True)
        return fn

    return run


def check(condition, what):
    if not condition:
        raise AssertionError(what)


def apis(key):
    configuration = Configuration(key)
    configuration.host = BASE_URL
    client = ApiClient(configuration)
    return ChargeApi(client), RefundApi(client), CodeApi(client)


charges, refunds, codes = apis(SECRET_KEY)


def customer_pays(code, customer="alice"):
    """The emulator's customer side (not part of elepay's API)."""
    request = urllib.request.Request(
        f"{BASE_URL}/_sandbox/pay",
        data=json.dumps({"code": code, "customer": customer}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        return json.load(answer)


def refused(call, status, code=None):
    """Runs `call`, which must raise ApiException with `status` (and elepay's `code`)."""
    try:
        call()
    except ApiException as e:
        check(e.status == status, f"expected HTTP {status}, got {e.status}")
        if code is not None:
            body = json.loads(e.body)
            check(body.get("code") == code, f"expected {code}, got {body}")
        return
    raise AssertionError(f"expected a refusal with HTTP {status}")


def new_charge(amount, capture=True, order_no=None):
    body = ChargeReq(
        amount=amount,
        orderNo=order_no or f"sdk-{uuid4().hex[:20]}",
        paymentMethod="paypay",
        resource="mpm",
        capture=capture,
        description="regi sdk conversation",
        metadata={"terminal": "T1", "receipt": "42"},
    )
    response = charges.create_charge(body=body)
    check(response.response.status == 201, "create answers 201")
    return response.body


state = {}


@step("a captured mpm charge is created pending with its code content")
def _():
    charge = new_charge(1500)
    check(charge["object"] == "charge", "object is charge")
    check(charge["status"] == "pending", "new charge is pending")
    check(charge["resource"] == "mpm" and "codeContent" in charge, "mpm charge has codeContent")
    check(int(charge["amount"]) == 1500, "amount")
    check(charge["metadata"]["terminal"] == "T1", "metadata kept")
    state["charge"] = charge


@step("the light status poll reads pending, then captured after the customer pays")
def _():
    charge_id = state["charge"]["id"]
    status = charges.retrieve_charge_status(path_params={"id": charge_id}).body
    check(status["status"] == "pending", "pending before payment")
    customer_pays(state["charge"]["codeContent"])
    status = charges.retrieve_charge_status(path_params={"id": charge_id}).body
    check(status["status"] == "captured", "captured after payment")
    charge = charges.retrieve_charge(path_params={"id": charge_id}).body
    check(charge["paid"].is_true_oapg(), "paid is true")
    check("paidTime" in charge, "paidTime set")


@step("a partial refund leaves the charge partially refunded")
def _():
    charge_id = state["charge"]["id"]
    response = refunds.create_refund(
        path_params={"id": charge_id}, body=RefundReq(amount=500, reason="one item returned")
    )
    check(response.response.status == 201, "refund answers 201")
    refund = response.body
    check(refund["object"] == "refund" and refund["status"] == "refunded", "refund object")
    state["refund"] = refund
    charge = charges.retrieve_charge(path_params={"id": charge_id}).body
    check(charge["status"] == "partially_refunded", "partially refunded")
    check(int(charge["refunds"]["amount"]) == 500, "refunds.amount")
    check(int(charge["refunds"]["totalCount"]) == 1, "refunds.totalCount")


@step("refunds are listed and read one by one")
def _():
    charge_id = state["charge"]["id"]
    listing = refunds.list_charges_refunds(path_params={"id": charge_id}).body
    check(int(listing["total"]) == 1, "one refund listed")
    refund = refunds.retrieve_charge_refund(
        path_params={"id": charge_id, "refundId": state["refund"]["id"]}
    ).body
    check(int(refund["amount"]) == 500, "refund amount")


@step("refunding the rest makes it refunded; refunding more is refused")
def _():
    charge_id = state["charge"]["id"]
    refunds.create_refund(path_params={"id": charge_id}, body=RefundReq(amount=1000))
    charge = charges.retrieve_charge(path_params={"id": charge_id}).body
    check(charge["status"] == "refunded", "refunded")
    check(charge["refunded"].is_true_oapg(), "refunded flag")
    refused(
        lambda: refunds.create_refund(path_params={"id": charge_id}, body=RefundReq(amount=1)),
        400,
    )


@step("a second charge for a paid order number is refused as already paid")
def _():
    order_no = state["charge"]["orderNo"]
    refused(lambda: new_charge(1500, order_no=order_no), 400, "M002007")


@step("a held charge is captured for a smaller amount")
def _():
    charge = new_charge(2000, capture=False)
    check(charge["authorize"].is_true_oapg(), "authorize only")
    customer_pays(charge["codeContent"], "bob")
    held = charges.retrieve_charge(path_params={"id": charge["id"]}).body
    check(held["status"] == "uncaptured", "held")
    captured = charges.capture_charge(
        path_params={"id": charge["id"]}, body=ChargeCaptureReq(amount=1800)
    ).body
    check(captured["status"] == "captured", "captured")
    check(int(captured["amount"]) == 1800, "captured amount")
    check(int(captured["authorizeAmount"]) == 2000, "authorized amount kept")


@step("a held charge is captured whole with no body")
def _():
    charge = new_charge(700, capture=False)
    customer_pays(charge["codeContent"])
    captured = charges.capture_charge(path_params={"id": charge["id"]}).body
    check(captured["status"] == "captured" and int(captured["amount"]) == 700, "whole capture")


@step("a pending charge is revoked; revoking it again is refused")
def _():
    charge = new_charge(300)
    revoked = charges.revoke_charge(path_params={"id": charge["id"]}).body
    check(revoked["status"] == "revoked", "revoked")
    refused(lambda: charges.revoke_charge(path_params={"id": charge["id"]}), 400)


@step("charges are listed with a total")
def _():
    listing = charges.list_charges(query_params={"limit": 2}).body
    check(int(listing["total"]) >= 4, "all charges counted")
    check(len(listing["charges"]) == 2, "one page of two")


@step("an EasyQR code is created, paid through its URL and shows its charge")
def _():
    response = codes.create_code(
        body=CodeReq(amount=1200, orderNo=f"sdk-{uuid4().hex[:20]}", expiryDuration=5)
    )
    check(response.response.status == 201, "code create answers 201")
    code = response.body
    check(code["object"] == "code" and code["status"] == "pending", "pending code")
    check("codeUrl" in code, "codeUrl")
    check(code["expired"].is_false_oapg(), "not expired")
    customer_pays(code["codeUrl"])
    paid = codes.retrieve_code(path_params={"codeId": code["id"]}).body
    check(paid["status"] == "captured", "code captured")
    check(paid["charge"]["status"] == "captured", "its charge captured")


@step("an unpaid code is closed")
def _():
    code = codes.create_code(body=CodeReq(amount=800, orderNo=f"sdk-{uuid4().hex[:20]}")).body
    response = codes.close_code(path_params={"codeId": code["id"]})
    check(response.response.status == 204, "close answers 204")
    closed = codes.retrieve_code(path_params={"codeId": code["id"]}).body
    check(closed["status"] == "closed", "closed")


@step("an unknown charge is refused as not found")
def _():
    refused(lambda: charges.retrieve_charge(path_params={"id": "cha_missing"}), 400, "M002003")


@step("a wrong key is refused")
def _():
    wrong, _, _ = apis("sk_test_wrong")
    refused(lambda: wrong.retrieve_charge(path_params={"id": state["charge"]["id"]}), 401, "M004001")


print(f"{len(STEPS)} passed, 0 failed")
