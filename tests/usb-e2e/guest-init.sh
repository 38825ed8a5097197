#!/bin/busybox sh
# /init of the USB end-to-end guest. The kernel's dummy_hcd connects two gadgets to its own USB
# host side: a HID boot keyboard (05e0:1200, a Symbol scanner's ids) and an Epson TM-T20III
# printer function (04b8:0e28). regi's real code talks to them through libusb while
# regi-usb-gadget plays the devices. Prints `PASS <step>` / `FAIL <step>: why` and powers off.
/bin/busybox --install -s /bin
export PATH=/bin HOME=/tmp REGI_DATA_DIR=/tmp/regi RUST_BACKTRACE=1
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /tmp/regi
# Under software emulation the gadget side may be scheduled late: allow more than a real printer
# needs to answer a status request. Everything else is regi's default configuration.
export REGI_CONFIG=/tmp/regi/regi.toml
printf '[printer]\nstatus_timeout_ms = 5000\n' > "$REGI_CONFIG"

CPM_TOKEN=Ab3dEf7hJk2mNp4qRs6tUv
JAN_CODE=4901234567894
RECEIPT_CODE=RGI-POS01-000124
TAB=$(printf '\t')
# Per-line wait; generous because the guest runs under software emulation.
WAIT=60
# A fixed clock: the receipt shows the time, and both renderings must be identical.
RECEIPT_TIME='2025-04-01 01:00:00'
FAILED=0

pass() { echo "PASS $1"; }
fail() { echo "FAIL $1: $2"; FAILED=1; }
finish() {
  [ "$FAILED" = 0 ] && echo "USB-E2E RESULT ok" || echo "USB-E2E RESULT failed"
  poweroff -f
}

# Reads lines from fd $1 (echoing them) until one contains $2; fails after $WAIT s of silence.
# The matching line is left in $LINE.
wait_line() {
  while IFS= read -r -t "$WAIT" LINE <&"$1"; do
    echo "  | $LINE"
    case "$LINE" in *"$2"*) return 0 ;; esac
  done
  return 1
}

# Waits until the host side has configured an interface of USB class $1 (hex).
wait_interface() {
  i=0
  while [ $i -lt $((WAIT * 10)) ]; do
    grep -qs "^$1\$" /sys/bus/usb/devices/*:*/bInterfaceClass && return 0
    sleep 0.1
    i=$((i + 1))
  done
  return 1
}

# --- kernel modules, in dependency order (dummy_hcd: one UDC per gadget) ---
while read -r module; do
  args=
  [ "$module" = dummy_hcd.ko ] && args=num=2
  insmod "/e2e/modules/$module" $args || { fail modules "insmod $module"; finish; }
done < /e2e/modules/order
mount -t configfs none /sys/kernel/config
set -- $(ls /sys/class/udc)
SCANNER_UDC=$1
PRINTER_UDC=$2
[ -n "$PRINTER_UDC" ] || { fail modules "expected two UDCs, found: $*"; finish; }
pass modules

# --- gadgets ---
SCANNER=/sys/kernel/config/usb_gadget/scanner
mkdir $SCANNER
echo 0x05e0 > $SCANNER/idVendor
echo 0x1200 > $SCANNER/idProduct
mkdir $SCANNER/strings/0x409
echo "Symbol Technologies" > $SCANNER/strings/0x409/manufacturer
echo "Emulated barcode scanner" > $SCANNER/strings/0x409/product
mkdir $SCANNER/functions/hid.usb0
echo 1 > $SCANNER/functions/hid.usb0/subclass
echo 1 > $SCANNER/functions/hid.usb0/protocol
echo 8 > $SCANNER/functions/hid.usb0/report_length
cat /e2e/keyboard.desc > $SCANNER/functions/hid.usb0/report_desc
mkdir $SCANNER/configs/c.1
ln -s $SCANNER/functions/hid.usb0 $SCANNER/configs/c.1/

PRINTER=/sys/kernel/config/usb_gadget/printer
mkdir $PRINTER
echo 0x04b8 > $PRINTER/idVendor
echo 0x0e28 > $PRINTER/idProduct
mkdir $PRINTER/strings/0x409
echo EPSON > $PRINTER/strings/0x409/manufacturer
echo TM-T20III > $PRINTER/strings/0x409/product
mkdir $PRINTER/functions/printer.usb0
echo 'MFG:EPSON;CMD:ESC/POS;MDL:TM-T20III;CLS:PRINTER;' > $PRINTER/functions/printer.usb0/pnp_string
mkdir $PRINTER/configs/c.1
ln -s $PRINTER/functions/printer.usb0 $PRINTER/configs/c.1/

echo "$SCANNER_UDC" > $SCANNER/UDC
echo "$PRINTER_UDC" > $PRINTER/UDC
if wait_interface 03 && wait_interface 07; then
  pass enumerate
else
  fail enumerate "the host side did not configure the HID and printer interfaces"
  finish
fi

# --- scanner: regi scan-test reads the keyboard gadget through libusb ---
mkfifo /tmp/scan.out /tmp/scan.err
exec 5<>/tmp/scan.out 6<>/tmp/scan.err
regi scan-test > /tmp/scan.out 2> /tmp/scan.err 5>&- 6>&- &
SCAN_PID=$!

if wait_line 6 "scanner connected"; then
  pass scanner-claim
else
  fail scanner-claim "regi scan-test did not claim the scanner"
fi

regi-usb-gadget type /dev/hidg0 "$CPM_TOKEN" "$JAN_CODE" || fail scanner-type "typing on /dev/hidg0"
if wait_line 5 "$TAB" && [ "$LINE" = "customer_code$TAB$CPM_TOKEN" ]; then
  pass scan-cpm-token
else
  fail scan-cpm-token "expected customer_code<TAB>$CPM_TOKEN, got '$LINE'"
fi
if wait_line 5 "$TAB" && [ "$LINE" = "jan$TAB$JAN_CODE" ]; then
  pass scan-jan-code
else
  fail scan-jan-code "expected jan<TAB>$JAN_CODE, got '$LINE'"
fi

# Unplug: unbinding the UDC disconnects the scanner from the host side.
echo "" > $SCANNER/UDC
if ! wait_line 6 "scanner disconnected"; then
  fail scanner-unplug "regi did not notice the scanner going away"
else
  case "$LINE" in
    *"(unplugged)"*) pass scanner-unplug ;;
    *) fail scanner-unplug "the status does not say the scanner was unplugged: $LINE" ;;
  esac
fi
echo "$SCANNER_UDC" > $SCANNER/UDC
if wait_line 6 "scanner connected"; then
  pass scanner-replug
else
  fail scanner-replug "regi did not reconnect to the scanner"
fi
regi-usb-gadget type /dev/hidg0 "$RECEIPT_CODE" || fail scanner-type "typing after the replug"
if wait_line 5 "$TAB" && [ "$LINE" = "receipt$TAB$RECEIPT_CODE" ]; then
  pass scan-after-replug
else
  fail scan-after-replug "expected receipt<TAB>$RECEIPT_CODE, got '$LINE'"
fi

kill -INT $SCAN_PID
if wait $SCAN_PID; then
  pass scanner-stop
else
  fail scanner-stop "regi scan-test exited with status $?"
fi
exec 5>&- 6>&-

# --- printer: regi print-test through the USB transport to the printer gadget ---
# Runs `regi print-test --to $3` against the printer gadget answering status $1 and expecting print
# data $2 (`-`: none). Leaves print-test's exit status in PRINT_RC and its stderr in /tmp/print.err,
# the gadget's exit status in GADGET_RC and its report in /tmp/gadget.log.
print_to_gadget() {
  rm -f /tmp/printer.ctl /tmp/printer.out /tmp/gadget.log
  mkfifo /tmp/printer.ctl /tmp/printer.out
  # fd 7 is the only writer of the gadget's stdin: closing it tells the gadget print-test is done.
  exec 7<>/tmp/printer.ctl 8<>/tmp/printer.out
  # Neither child may hold fd 7, or the gadget would never see the end of its stdin.
  regi-usb-gadget printer /dev/g_printer0 "$1" "$2" < /tmp/printer.ctl > /tmp/printer.out 2>&1 7>&- 8>&- &
  gadget_pid=$!
  GADGET_RC=1
  PRINT_RC=1
  if wait_line 8 "printer gadget ready"; then
    date -s "$RECEIPT_TIME" > /dev/null
    regi print-test --profile tm-t20iii --to "$3" 2> /tmp/print.err 7>&- 8>&-
    PRINT_RC=$?
    sed 's/^/  | print-test: /' /tmp/print.err
  fi
  exec 7>&-
  wait $gadget_pid
  GADGET_RC=$?
  while IFS= read -r -t 1 LINE <&8; do echo "$LINE" >> /tmp/gadget.log; echo "  | $LINE"; done
  exec 8>&-
}

date -s "$RECEIPT_TIME" > /dev/null
if regi print-test --profile tm-t20iii --to file:/tmp/expected.bin > /dev/null 2> /tmp/print.err \
  && [ -s /tmp/expected.bin ]; then
  pass printer-expected-bytes
else
  fail printer-expected-bytes "$(cat /tmp/print.err)"
fi

print_to_gadget online /tmp/expected.bin usb:04b8:0e28
if [ "$PRINT_RC" = 0 ] && grep -q "answered DLE EOT [0-9]" /tmp/gadget.log; then
  pass printer-status-online
else
  fail printer-status-online "print-test exit $PRINT_RC after the gadget answered 'online'"
fi
if [ "$GADGET_RC" = 0 ] && grep -q "print data matches" /tmp/gadget.log; then
  pass printer-bytes-identical
else
  fail printer-bytes-identical "the printer gadget did not receive exactly the file target's bytes"
fi

print_to_gadget paper-out - usb:04b8:0e28
if [ "$PRINT_RC" != 0 ] && grep -q "out of paper" /tmp/print.err; then
  pass printer-paper-out-reported
else
  fail printer-paper-out-reported "print-test exit $PRINT_RC; want non-zero and 'out of paper'"
fi
if [ "$GADGET_RC" = 0 ] && grep -q "received 0 bytes" /tmp/gadget.log; then
  pass printer-paper-out-nothing-sent
else
  fail printer-paper-out-nothing-sent "the receipt went out although the printer had no paper"
fi

finish
