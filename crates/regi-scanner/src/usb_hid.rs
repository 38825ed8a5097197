//! Reading a scanner's USB HID keyboard interface directly with rusb.
//!
//! Claiming the interface takes the scanner away from the OS keyboard driver, so its keystrokes
//! never pass through the keyboard layout or the Japanese IME, and never reach the terminal.
//! Only devices of a known scanner brand are picked automatically: claiming the clerk's own
//! keyboard would take it away from them. Any other device must be named by `usb_device`.

use std::fmt;
use std::time::{Duration, Instant};

use rusb::{Device, DeviceHandle, Direction, TransferType, UsbContext};

use super::event::{ScanSink, ScanSource, SourceState};
use super::hid::{HidScanDecoder, KeyboardLayout, frame_boot_report};
use super::reporter::Reporter;
use super::settings::{ScannerSettings, SettingsError, VidPid};
use super::source::{ScannerSource, StopSignal};

/// USB vendors whose HID keyboards are barcode scanners.
pub const KNOWN_SCANNER_VENDORS: &[(u16, &str)] = &[
    (0x0536, "Hand Held Products (Honeywell)"),
    (0x05e0, "Symbol (Zebra)"),
    (0x05f9, "Datalogic"),
    (0x0c2e, "Metrologic (Honeywell)"),
];

/// How to fix "permission denied" on Linux.
pub const PERMISSION_FIX: &str = "install regi's udev rule and replug the scanner: \
sudo install -m 644 assets/udev/60-regi.rules /etc/udev/rules.d/ && \
sudo udevadm control --reload-rules && sudo udevadm trigger \
(for a scanner not listed in the rule, add its VID:PID there first)";

const READ_TIMEOUT: Duration = Duration::from_millis(100);
const POLL_INTERVAL: Duration = Duration::from_millis(500);
const CONTROL_TIMEOUT: Duration = Duration::from_millis(500);

const CLASS_HID: u8 = 3;
const SUBCLASS_BOOT: u8 = 1;
const PROTOCOL_KEYBOARD: u8 = 1;

/// The scanner's brand, when its vendor id is a known scanner maker.
pub fn known_scanner_vendor(vendor: u16) -> Option<&'static str> {
    KNOWN_SCANNER_VENDORS
        .iter()
        .find(|(id, _)| *id == vendor)
        .map(|(_, name)| *name)
}

/// Which device to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeviceSelector {
    /// This vendor:product, whatever its interface protocol.
    Exact(VidPid),
    /// The first boot keyboard made by a known scanner vendor.
    KnownScanner,
}

impl DeviceSelector {
    /// The vendor:product this selector names, if it names one.
    pub fn exact_id(self) -> Option<VidPid> {
        match self {
            DeviceSelector::Exact(id) => Some(id),
            DeviceSelector::KnownScanner => None,
        }
    }
}

/// A configured device id selects that device; none selects a known scanner brand.
impl From<Option<VidPid>> for DeviceSelector {
    fn from(id: Option<VidPid>) -> Self {
        id.map_or(DeviceSelector::KnownScanner, DeviceSelector::Exact)
    }
}

impl fmt::Display for DeviceSelector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DeviceSelector::Exact(id) => write!(f, "USB device {id}"),
            DeviceSelector::KnownScanner => f.write_str("USB keyboard of a known scanner brand"),
        }
    }
}

/// A HID interface with an interrupt-IN endpoint: something that might be a scanner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HidCandidate {
    pub bus: u8,
    pub address: u8,
    pub id: VidPid,
    pub manufacturer: Option<String>,
    pub product: Option<String>,
    pub interface: u8,
    pub alt_setting: u8,
    pub endpoint: u8,
    pub max_packet_size: u16,
    /// Boot-keyboard interface (subclass 1, protocol 1).
    pub boot_keyboard: bool,
}

impl HidCandidate {
    pub fn known_vendor(&self) -> Option<&'static str> {
        known_scanner_vendor(self.id.vendor)
    }

    /// Whether `selector` picks this interface.
    pub fn matches(&self, selector: DeviceSelector) -> bool {
        match selector {
            DeviceSelector::Exact(id) => self.id == id,
            DeviceSelector::KnownScanner => self.boot_keyboard && self.known_vendor().is_some(),
        }
    }

    /// A short name for status lines.
    pub fn label(&self) -> String {
        match (&self.product, self.known_vendor()) {
            (Some(product), _) => format!("{product} ({})", self.id),
            (None, Some(vendor)) => format!("{vendor} ({})", self.id),
            (None, None) => self.id.to_string(),
        }
    }
}

impl fmt::Display for HidCandidate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "bus {:03} address {:03} {} interface {} endpoint 0x{:02x}",
            self.bus, self.address, self.id, self.interface, self.endpoint
        )?;
        let kind = if self.boot_keyboard {
            "boot keyboard"
        } else {
            "HID"
        };
        write!(f, " [{kind}]")?;
        let names: Vec<&str> = [self.manufacturer.as_deref(), self.product.as_deref()]
            .into_iter()
            .flatten()
            .collect();
        if !names.is_empty() {
            write!(f, " \"{}\"", names.join(" "))?;
        }
        if let Some(vendor) = self.known_vendor() {
            write!(f, " — scanner maker: {vendor}")?;
        }
        Ok(())
    }
}

/// The interface `selector` would read, preferring boot keyboards.
pub fn choose_candidate(
    candidates: &[HidCandidate],
    selector: DeviceSelector,
) -> Option<&HidCandidate> {
    choose(candidates, selector, |c| c)
}

/// [`choose_candidate`] over items that carry a candidate.
fn choose<T>(
    items: &[T],
    selector: DeviceSelector,
    candidate: impl Fn(&T) -> &HidCandidate,
) -> Option<&T> {
    let mut matching = items.iter().filter(|i| candidate(i).matches(selector));
    let first = matching.clone().next();
    matching.find(|i| candidate(i).boot_keyboard).or(first)
}

/// A USB failure, with what was being done.
#[derive(Debug, thiserror::Error)]
#[error("{action}: {source}")]
pub struct UsbError {
    pub action: &'static str,
    #[source]
    pub source: rusb::Error,
}

fn usb_err(action: &'static str) -> impl FnOnce(rusb::Error) -> UsbError {
    move |source| UsbError { action, source }
}

/// Lists HID interfaces with an interrupt-IN endpoint: every boot keyboard, plus any HID interface
/// of `also` (a configured device that may not use the boot protocol). With `read_strings` each
/// device is opened briefly for its manufacturer and product names (skipped when not permitted).
pub fn list_candidates(
    also: Option<VidPid>,
    read_strings: bool,
) -> Result<Vec<HidCandidate>, UsbError> {
    let found = bus_candidates(also, read_strings)?;
    Ok(found.into_iter().map(|(_, candidate)| candidate).collect())
}

/// [`list_candidates`], each with its device for opening.
fn bus_candidates(
    also: Option<VidPid>,
    read_strings: bool,
) -> Result<Vec<(Device<rusb::Context>, HidCandidate)>, UsbError> {
    // A new context every time, so the list shows devices plugged in or out since the last look.
    let context = rusb::Context::new().map_err(usb_err("starting libusb"))?;
    let devices = context.devices().map_err(usb_err("listing USB devices"))?;
    Ok(devices
        .iter()
        .flat_map(|device| {
            device_candidates(&device, also, read_strings)
                .into_iter()
                .map(move |candidate| (device.clone(), candidate))
        })
        .collect())
}

fn device_candidates<T: UsbContext>(
    device: &Device<T>,
    also: Option<VidPid>,
    read_strings: bool,
) -> Vec<HidCandidate> {
    let Ok(descriptor) = device.device_descriptor() else {
        return Vec::new();
    };
    let Ok(config) = device.active_config_descriptor() else {
        return Vec::new();
    };
    let id = VidPid {
        vendor: descriptor.vendor_id(),
        product: descriptor.product_id(),
    };
    let mut found = Vec::new();
    for interface in config.interfaces() {
        // The first alternate setting of each interface is the one in use after claiming.
        let Some(setting) = interface.descriptors().next() else {
            continue;
        };
        if setting.class_code() != CLASS_HID {
            continue;
        }
        let boot_keyboard = setting.sub_class_code() == SUBCLASS_BOOT
            && setting.protocol_code() == PROTOCOL_KEYBOARD;
        if !boot_keyboard && also != Some(id) {
            continue;
        }
        let Some(endpoint) = setting.endpoint_descriptors().find(|e| {
            e.transfer_type() == TransferType::Interrupt && e.direction() == Direction::In
        }) else {
            continue;
        };
        found.push(HidCandidate {
            bus: device.bus_number(),
            address: device.address(),
            id,
            manufacturer: None,
            product: None,
            interface: setting.interface_number(),
            alt_setting: setting.setting_number(),
            endpoint: endpoint.address(),
            max_packet_size: endpoint.max_packet_size(),
            boot_keyboard,
        });
    }
    if read_strings
        && !found.is_empty()
        && let Ok(handle) = device.open()
    {
        let manufacturer = handle.read_manufacturer_string_ascii(&descriptor).ok();
        let product = handle.read_product_string_ascii(&descriptor).ok();
        for candidate in &mut found {
            candidate.manufacturer.clone_from(&manufacturer);
            candidate.product.clone_from(&product);
        }
    }
    found
}

/// What the USB reader thread needs.
#[derive(Debug, Clone)]
pub struct UsbReaderConfig {
    pub selector: DeviceSelector,
    pub layout: KeyboardLayout,
    pub prefix: String,
    pub suffix: String,
}

impl UsbReaderConfig {
    pub fn from_settings(settings: &ScannerSettings) -> Result<Self, SettingsError> {
        Ok(UsbReaderConfig {
            selector: settings.usb_selector()?.into(),
            layout: settings.layout,
            prefix: settings.prefix.clone(),
            suffix: settings.suffix.clone(),
        })
    }
}

/// Starts the reader thread: it finds the scanner, claims it, reads reports, and after an unplug
/// or an error waits for the device to come back. Status changes are delivered as they happen.
pub fn spawn_reader(
    config: UsbReaderConfig,
    sink: impl ScanSink,
) -> std::io::Result<ScannerSource> {
    ScannerSource::spawn(ScanSource::Usb, None, true, move |stop| {
        UsbReader::new(config, Reporter::new(sink, ScanSource::Usb), stop).run();
    })
}

/// How a read session ended.
enum SessionEnd {
    Stopped,
    Lost(String),
}

struct UsbReader<S> {
    config: UsbReaderConfig,
    decoder: HidScanDecoder,
    reporter: Reporter<S>,
    stop: StopSignal,
}

impl<S: ScanSink> UsbReader<S> {
    fn new(config: UsbReaderConfig, reporter: Reporter<S>, stop: StopSignal) -> Self {
        let decoder = HidScanDecoder::new(config.layout, &config.prefix, &config.suffix);
        UsbReader {
            config,
            decoder,
            reporter,
            stop,
        }
    }

    fn run(&mut self) {
        let mut lost: Option<String> = None;
        while self.reporter.listening() && !self.stop.is_stopped() {
            match self.attempt(lost.as_deref()) {
                Ok(Some(SessionEnd::Stopped)) => return,
                Ok(Some(SessionEnd::Lost(device))) => lost = Some(device),
                Ok(None) => {}
                Err(state) => self.reporter.status(state),
            }
            if self.stop.wait(POLL_INTERVAL) {
                return;
            }
        }
    }

    /// One look for the device and, when found, one read session. `Ok(None)`: nothing to read yet.
    fn attempt(&mut self, lost: Option<&str>) -> Result<Option<SessionEnd>, SourceState> {
        let found = bus_candidates(self.config.selector.exact_id(), false).map_err(|e| {
            SourceState::Failed {
                reason: e.to_string(),
            }
        })?;
        let Some((device, candidate)) = choose(&found, self.config.selector, |(_, c)| c) else {
            if lost.is_none() {
                self.reporter.status(SourceState::NotFound {
                    looking_for: self.config.selector.to_string(),
                });
            }
            return Ok(None);
        };
        let label = candidate.label();
        if lost.is_some() {
            self.reporter.status(SourceState::Reconnecting {
                device: label.clone(),
            });
        }
        let handle = match claim(device, candidate) {
            Ok(handle) => handle,
            Err(rusb::Error::Access) => {
                return Err(SourceState::PermissionDenied {
                    device: label,
                    fix: PERMISSION_FIX.to_string(),
                });
            }
            Err(rusb::Error::Busy) => {
                return Err(SourceState::Failed {
                    reason: format!("{label} is in use by another program"),
                });
            }
            Err(rusb::Error::NoDevice) => return Ok(None),
            Err(e) => {
                return Err(SourceState::Failed {
                    reason: format!("cannot claim {label}: {e}"),
                });
            }
        };
        self.reporter.status(SourceState::Connected {
            device: label.clone(),
        });
        self.decoder.reset();
        let end = self.read_session(&handle, candidate);
        // Hands the interface back to the kernel driver (auto-detach re-attaches it).
        let _ = handle.release_interface(candidate.interface);
        if let SessionEnd::Lost(reason) = &end {
            self.reporter.status(SourceState::Disconnected {
                device: label.clone(),
                reason: reason.clone(),
            });
            return Ok(Some(SessionEnd::Lost(label)));
        }
        Ok(Some(end))
    }

    fn read_session(
        &mut self,
        handle: &DeviceHandle<rusb::Context>,
        candidate: &HidCandidate,
    ) -> SessionEnd {
        let size = usize::from(candidate.max_packet_size).clamp(8, 64);
        let mut buffer = vec![0u8; size];
        while self.reporter.listening() {
            if self.stop.is_stopped() {
                return SessionEnd::Stopped;
            }
            match handle.read_interrupt(candidate.endpoint, &mut buffer, READ_TIMEOUT) {
                Ok(n) => {
                    let Some(report) = buffer.get(..n).and_then(frame_boot_report) else {
                        continue;
                    };
                    for code in self.decoder.feed(report) {
                        self.reporter.scan(code);
                    }
                }
                Err(rusb::Error::Timeout | rusb::Error::Interrupted | rusb::Error::Overflow) => {}
                Err(rusb::Error::Pipe) => {
                    if let Err(e) = handle.clear_halt(candidate.endpoint) {
                        let reason = self.loss_reason(handle, candidate, e);
                        return SessionEnd::Lost(format!("endpoint stalled: {reason}"));
                    }
                }
                Err(rusb::Error::NoDevice) => return SessionEnd::Lost(UNPLUGGED.into()),
                Err(e) => return SessionEnd::Lost(self.loss_reason(handle, candidate, e)),
            }
        }
        SessionEnd::Stopped
    }

    /// Why reading failed with `error`: "unplugged" when the device has gone, else the error.
    /// An unplug usually fails the pending read with an I/O error, and for a moment afterwards
    /// requests to the device fail the same way before the kernel reports it gone. So keep asking
    /// the device (GET_STATUS) until it answers or is reported gone, within GONE_CHECK_WINDOW;
    /// then whether it is still on the bus decides.
    fn loss_reason(
        &self,
        handle: &DeviceHandle<rusb::Context>,
        candidate: &HidCandidate,
        error: rusb::Error,
    ) -> String {
        let deadline = Instant::now() + GONE_CHECK_WINDOW;
        loop {
            match device_status(handle) {
                Err(rusb::Error::NoDevice) => return UNPLUGGED.into(),
                Ok(()) => return error.to_string(),
                Err(_) if Instant::now() >= deadline => break,
                Err(_) => {
                    if self.stop.wait(GONE_CHECK_INTERVAL) {
                        break;
                    }
                }
            }
        }
        if still_on_bus(handle.context(), candidate) {
            error.to_string()
        } else {
            UNPLUGGED.into()
        }
    }
}

const UNPLUGGED: &str = "unplugged";
// A device that is still there answers at once; this only bounds the wait for a slow disconnect.
const GONE_CHECK_WINDOW: Duration = Duration::from_secs(5);
const GONE_CHECK_INTERVAL: Duration = Duration::from_millis(50);

/// Asks the device for its status (a standard GET_STATUS), which any attached device answers.
fn device_status(handle: &DeviceHandle<rusb::Context>) -> rusb::Result<()> {
    let request_type = rusb::request_type(
        Direction::In,
        rusb::RequestType::Standard,
        rusb::Recipient::Device,
    );
    let mut status = [0u8; 2];
    handle
        .read_control(request_type, 0x00, 0, 0, &mut status, CONTROL_TIMEOUT)
        .map(|_| ())
}

/// Whether libusb still lists a device at the candidate's bus and address.
fn still_on_bus(context: &rusb::Context, candidate: &HidCandidate) -> bool {
    context.devices().is_ok_and(|devices| {
        devices
            .iter()
            .any(|d| d.bus_number() == candidate.bus && d.address() == candidate.address)
    })
}

/// Opens the device, takes the interface from the kernel driver and asks for boot reports.
fn claim(
    device: &Device<rusb::Context>,
    candidate: &HidCandidate,
) -> rusb::Result<DeviceHandle<rusb::Context>> {
    let handle = device.open()?;
    if handle.set_auto_detach_kernel_driver(true).is_err()
        && handle.kernel_driver_active(candidate.interface) == Ok(true)
    {
        handle.detach_kernel_driver(candidate.interface)?;
    }
    handle.claim_interface(candidate.interface)?;
    if candidate.alt_setting != 0 {
        handle.set_alternate_setting(candidate.interface, candidate.alt_setting)?;
    }
    if candidate.boot_keyboard {
        // HID class requests to the interface: SET_PROTOCOL(boot) so reports are the 8-byte boot
        // format, SET_IDLE(0) so a held key is not re-sent. Devices may refuse either; harmless.
        let request_type = rusb::request_type(
            Direction::Out,
            rusb::RequestType::Class,
            rusb::Recipient::Interface,
        );
        let index = u16::from(candidate.interface);
        let _ = handle.write_control(request_type, 0x0B, 0, index, &[], CONTROL_TIMEOUT);
        let _ = handle.write_control(request_type, 0x0A, 0, index, &[], CONTROL_TIMEOUT);
    }
    Ok(handle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn candidate(vendor: u16, product: u16, boot_keyboard: bool) -> HidCandidate {
        HidCandidate {
            bus: 1,
            address: 2,
            id: VidPid { vendor, product },
            manufacturer: None,
            product: None,
            interface: 0,
            alt_setting: 0,
            endpoint: 0x81,
            max_packet_size: 8,
            boot_keyboard,
        }
    }

    #[test]
    fn known_scanners_are_picked_but_not_other_keyboards() {
        let keyboard = candidate(0x046d, 0xc31c, true);
        let scanner = candidate(0x05e0, 0x1200, true);
        let list = [keyboard.clone(), scanner.clone()];
        assert_eq!(
            choose_candidate(&list, DeviceSelector::KnownScanner),
            Some(&scanner)
        );
        assert_eq!(
            choose_candidate(&[keyboard], DeviceSelector::KnownScanner),
            None
        );
    }

    #[test]
    fn exact_selector_prefers_the_boot_interface() {
        let report_only = candidate(0x1234, 0x5678, false);
        let mut boot = candidate(0x1234, 0x5678, true);
        boot.interface = 1;
        let list = [report_only.clone(), boot.clone()];
        let id = VidPid {
            vendor: 0x1234,
            product: 0x5678,
        };
        assert_eq!(
            choose_candidate(&list, DeviceSelector::Exact(id)),
            Some(&boot)
        );
        assert_eq!(
            choose_candidate(
                std::slice::from_ref(&report_only),
                DeviceSelector::Exact(id)
            ),
            Some(&report_only)
        );
    }

    #[test]
    fn a_configured_id_selects_exactly_that_device() {
        let id = VidPid {
            vendor: 0x0c2e,
            product: 0x0b61,
        };
        assert_eq!(DeviceSelector::from(Some(id)), DeviceSelector::Exact(id));
        assert_eq!(DeviceSelector::from(None), DeviceSelector::KnownScanner);
        assert_eq!(DeviceSelector::Exact(id).exact_id(), Some(id));
        assert_eq!(DeviceSelector::KnownScanner.exact_id(), None);
    }

    #[test]
    fn descriptions_name_the_device() {
        let mut c = candidate(0x0c2e, 0x0b61, true);
        assert_eq!(c.label(), "Metrologic (Honeywell) (0c2e:0b61)");
        c.product = Some("Xenon 1900".into());
        assert_eq!(c.label(), "Xenon 1900 (0c2e:0b61)");
        let shown = c.to_string();
        assert!(
            shown.contains("0c2e:0b61") && shown.contains("boot keyboard"),
            "{shown}"
        );
    }

    #[test]
    fn permission_fix_names_the_rule_file() {
        assert!(PERMISSION_FIX.contains("assets/udev/60-regi.rules"));
        assert!(PERMISSION_FIX.contains("udevadm"));
    }
}
