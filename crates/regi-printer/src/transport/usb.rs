//! USB printers through libusb (rusb). The interface and its bulk endpoints are read from the
//! descriptors: the printer-class interface (class 7), or for a given VID:PID any interface with a
//! bulk OUT endpoint (some receipt printers use a vendor class). Status answers come on bulk IN.

use std::time::Duration;

use rusb::{Context, Device, DeviceHandle, Direction, TransferType, UsbContext};

use super::{PrinterTransport, Timeouts, TransportError, query_status};
use crate::status::PrinterStatus;

const PRINTER_CLASS: u8 = 7;
/// Bytes per bulk transfer, so each one finishes well within the write timeout.
const CHUNK: usize = 4096;

pub struct UsbTransport {
    handle: DeviceHandle<Context>,
    interface: u8,
    endpoint_out: u8,
    endpoint_in: Option<u8>,
    timeouts: Timeouts,
    description: String,
}

/// The interface to use on a device and its endpoints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct PrinterInterface {
    interface: u8,
    alt_setting: u8,
    endpoint_out: u8,
    endpoint_in: Option<u8>,
}

impl UsbTransport {
    pub fn open(
        vendor_id: Option<u16>,
        product_id: Option<u16>,
        timeouts: Timeouts,
    ) -> Result<Self, TransportError> {
        let context = Context::new().map_err(|e| TransportError::usb("init", e))?;
        let devices = context
            .devices()
            .map_err(|e| TransportError::usb("list devices", e))?;
        let explicit = vendor_id.is_some();
        for device in devices.iter() {
            let Ok(descriptor) = device.device_descriptor() else {
                continue;
            };
            if vendor_id.is_some_and(|v| v != descriptor.vendor_id())
                || product_id.is_some_and(|p| p != descriptor.product_id())
            {
                continue;
            }
            let Some(found) = find_interface(&device, explicit) else {
                continue;
            };
            let description = format!(
                "usb:{:04x}:{:04x}",
                descriptor.vendor_id(),
                descriptor.product_id()
            );
            return Self::claim(&device, found, timeouts, description);
        }
        let wanted = match (vendor_id, product_id) {
            (Some(v), Some(p)) => format!(" at {v:04x}:{p:04x}"),
            (Some(v), None) => format!(" from vendor {v:04x}"),
            _ => String::new(),
        };
        Err(TransportError::NoUsbPrinter(wanted))
    }

    fn claim(
        device: &Device<Context>,
        found: PrinterInterface,
        timeouts: Timeouts,
        description: String,
    ) -> Result<Self, TransportError> {
        let handle = device
            .open()
            .map_err(|e| TransportError::usb(format!("open {description}"), e))?;
        // Lets us take the interface from the usblp driver and gives it back on release.
        match handle.set_auto_detach_kernel_driver(true) {
            Ok(()) | Err(rusb::Error::NotSupported) => {}
            Err(e) => return Err(TransportError::usb("detach kernel driver", e)),
        }
        handle
            .claim_interface(found.interface)
            .map_err(|e| TransportError::usb(format!("claim interface {}", found.interface), e))?;
        if found.alt_setting != 0 {
            handle
                .set_alternate_setting(found.interface, found.alt_setting)
                .map_err(|e| TransportError::usb("set alternate setting", e))?;
        }
        Ok(Self {
            handle,
            interface: found.interface,
            endpoint_out: found.endpoint_out,
            endpoint_in: found.endpoint_in,
            timeouts,
            description,
        })
    }

    fn read_answer(&self, endpoint: u8) -> Result<u8, TransportError> {
        let mut buf = [0u8; 64];
        match self
            .handle
            .read_bulk(endpoint, &mut buf, self.timeouts.status)
        {
            Ok(n) if n >= 1 => Ok(buf[n - 1]),
            Ok(_) | Err(rusb::Error::Timeout) => Err(TransportError::NoStatusAnswer),
            Err(e) => Err(TransportError::usb("read status", e)),
        }
    }

    fn write_chunks(&self, bytes: &[u8], timeout: Duration) -> Result<(), TransportError> {
        let mut rest = bytes;
        while !rest.is_empty() {
            let chunk = &rest[..rest.len().min(CHUNK)];
            let written = self
                .handle
                .write_bulk(self.endpoint_out, chunk, timeout)
                .map_err(|e| TransportError::usb(format!("write to {}", self.description), e))?;
            if written == 0 {
                return Err(TransportError::usb(
                    format!("write to {}", self.description),
                    rusb::Error::Io,
                ));
            }
            rest = &rest[written..];
        }
        Ok(())
    }
}

/// The printer-class interface of `device`; with `any_bulk_out`, also a vendor-specific one.
fn find_interface(device: &Device<Context>, any_bulk_out: bool) -> Option<PrinterInterface> {
    let config = device
        .active_config_descriptor()
        .or_else(|_| device.config_descriptor(0))
        .ok()?;
    let mut fallback = None;
    for interface in config.interfaces() {
        for setting in interface.descriptors() {
            let bulk = |direction| {
                setting
                    .endpoint_descriptors()
                    .find(|e| e.transfer_type() == TransferType::Bulk && e.direction() == direction)
                    .map(|e| e.address())
            };
            let Some(endpoint_out) = bulk(Direction::Out) else {
                continue;
            };
            let found = PrinterInterface {
                interface: setting.interface_number(),
                alt_setting: setting.setting_number(),
                endpoint_out,
                endpoint_in: bulk(Direction::In),
            };
            if setting.class_code() == PRINTER_CLASS {
                return Some(found);
            }
            if any_bulk_out && fallback.is_none() {
                fallback = Some(found);
            }
        }
    }
    fallback
}

impl PrinterTransport for UsbTransport {
    fn write_all(&mut self, bytes: &[u8]) -> Result<(), TransportError> {
        self.write_chunks(bytes, self.timeouts.write)
    }

    fn status(&mut self) -> Option<Result<PrinterStatus, TransportError>> {
        let endpoint_in = self.endpoint_in?;
        Some(query_status(|request| {
            self.write_chunks(request, self.timeouts.status)?;
            self.read_answer(endpoint_in)
        }))
    }

    fn describe(&self) -> String {
        self.description.clone()
    }
}

impl Drop for UsbTransport {
    fn drop(&mut self) {
        // Nothing to do about a failure here; the handle closes either way.
        let _ = self.handle.release_interface(self.interface);
    }
}
