//! The hosted page at `session_url`: a real HTML form, paid by a script posting it.

use regi_komoju_emulator::EmulatorConfig;

use crate::support::{raw, raw_with};

#[tokio::test]
async fn the_hosted_page_lists_the_sessions_methods_in_a_form() {
    let r = raw().await;
    let session = r.session(1200).await;
    let url = session["session_url"].as_str().unwrap();
    let response = r.http.get(url).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let html = response.text().await.unwrap();
    let id = session["id"].as_str().unwrap();
    assert!(html.contains(&format!("<form method=\"post\" action=\"/sessions/{id}\">")));
    assert!(html.contains("value=\"paypay\" checked"));
    assert!(html.contains("value=\"linepay\""));
    assert!(!html.contains("value=\"credit_card\""));
    assert!(html.contains("¥1,200"));
}

#[tokio::test]
async fn a_script_posting_the_form_pays_the_session_with_the_method_it_chose() {
    let r = raw().await;
    let session = r.session(1200).await;
    let url = session["session_url"].as_str().unwrap();
    let response = r
        .http
        .post(url)
        .form(&[("payment_type", "linepay"), ("customer", "rich")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let html = response.text().await.unwrap();
    assert!(html.contains("id=\"status\" class=\"completed\""));
    assert!(!html.contains("<form"));
    let (_, shown) = r
        .get(&format!("/sessions/{}", session["id"].as_str().unwrap()))
        .await;
    assert_eq!(shown["status"], "completed");
    assert_eq!(shown["payment"]["payment_details"]["type"], "linepay");
}

#[tokio::test]
async fn a_poor_customer_on_the_page_is_declined_and_can_try_again() {
    let r = raw().await;
    let session = r.session(1200).await;
    let url = session["session_url"].as_str().unwrap();
    let response = r
        .http
        .post(url)
        .form(&[("payment_type", "paypay"), ("customer", "poor")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 402);
    let html = response.text().await.unwrap();
    assert!(html.contains("id=\"error\""));
    assert!(html.contains("<form"), "the form is shown again");
    let (_, shown) = r
        .get(&format!("/sessions/{}", session["id"].as_str().unwrap()))
        .await;
    assert_eq!(shown["status"], "pending");
}

#[tokio::test]
async fn an_unknown_session_page_is_404() {
    let r = raw_with(EmulatorConfig::default()).await;
    let response = r
        .http
        .get(format!(
            "{}/sessions/aaaaaaaaaaaaaaaaaaaaaaaaa",
            r.emulator.base_url
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 404);
}

#[tokio::test]
async fn session_urls_use_the_configured_public_address() {
    let r = raw_with(EmulatorConfig {
        public_base_url: Some("http://192.168.1.10:4010/".into()),
        ..Default::default()
    })
    .await;
    let session = r.session(100).await;
    assert_eq!(
        session["session_url"],
        format!(
            "http://192.168.1.10:4010/sessions/{}",
            session["id"].as_str().unwrap()
        )
    );
}
