//! HID reports out of Linux USB packet captures (`.pcap` / `.pcapng` from Wireshark, tcpdump or
//! dumpcap on a `usbmonN` interface).
//!
//! Only the usbmon link types are understood (`LINKTYPE_USB_LINUX` 189 with a 48-byte packet
//! header, `LINKTYPE_USB_LINUX_MMAPPED` 220 with 64 bytes). A report is the data of a completed
//! interrupt-IN transfer ('C' event) of 8 bytes, or 9 with a non-zero report id. Captures of several
//! devices should be filtered to the scanner first (`tshark -r in.pcapng -Y usb.device_address==N -w out.pcapng`).

use super::hid::BOOT_REPORT_LEN;
use super::replay::Report;

const LINKTYPE_USB_LINUX: u32 = 189;
const LINKTYPE_USB_LINUX_MMAPPED: u32 = 220;

/// Why a capture could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CaptureError {
    #[error("not a pcap or pcapng file")]
    NotACapture,
    #[error("the capture is cut short at byte {0}")]
    Truncated(usize),
    #[error("no USB (usbmon) interface in the capture; capture on a usbmonN interface")]
    NotUsb,
}

/// The capture file formats, told apart by their first four bytes.
#[derive(Debug, Clone, Copy)]
enum Format {
    Pcap(Order),
    Pcapng,
}

impl Format {
    fn detect(data: &[u8]) -> Option<Format> {
        match data.get(..4)? {
            [0xa1, 0xb2, 0xc3, 0xd4] | [0xa1, 0xb2, 0x3c, 0x4d] => Some(Format::Pcap(Order::Big)),
            [0xd4, 0xc3, 0xb2, 0xa1] | [0x4d, 0x3c, 0xb2, 0xa1] => {
                Some(Format::Pcap(Order::Little))
            }
            [0x0a, 0x0d, 0x0d, 0x0a] => Some(Format::Pcapng),
            _ => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Format::Pcap(_) => "pcap",
            Format::Pcapng => "pcapng",
        }
    }
}

/// Names the packet-capture format of `data` (`"pcap"`, `"pcapng"`); `None` when it is neither.
pub fn capture_format(data: &[u8]) -> Option<&'static str> {
    Format::detect(data).map(Format::name)
}

/// Byte order of the capture's fields.
#[derive(Debug, Clone, Copy)]
enum Order {
    Little,
    Big,
}

impl Order {
    fn u16(self, data: &[u8], at: usize) -> Option<u16> {
        let bytes: [u8; 2] = data.get(at..at + 2)?.try_into().ok()?;
        Some(match self {
            Order::Little => u16::from_le_bytes(bytes),
            Order::Big => u16::from_be_bytes(bytes),
        })
    }

    fn u32(self, data: &[u8], at: usize) -> Option<u32> {
        let bytes: [u8; 4] = data.get(at..at + 4)?.try_into().ok()?;
        Some(match self {
            Order::Little => u32::from_le_bytes(bytes),
            Order::Big => u32::from_be_bytes(bytes),
        })
    }
}

/// The boot reports a scanner sent, in capture order. [`CaptureError::NotACapture`] when `data`
/// is neither pcap nor pcapng (a raw or text trace, for one).
pub fn reports_from_capture(data: &[u8]) -> Result<Vec<Report>, CaptureError> {
    match Format::detect(data) {
        Some(Format::Pcap(order)) => pcap(data, order),
        Some(Format::Pcapng) => pcapng(data),
        None => Err(CaptureError::NotACapture),
    }
}

fn pcap(data: &[u8], order: Order) -> Result<Vec<Report>, CaptureError> {
    let link = order
        .u32(data, 20)
        .ok_or(CaptureError::Truncated(data.len()))?;
    let header_len = usbmon_header_len(link).ok_or(CaptureError::NotUsb)?;
    let mut reports = Vec::new();
    let mut at = 24;
    while at < data.len() {
        let captured = order
            .u32(data, at + 8)
            .and_then(|n| usize::try_from(n).ok())
            .ok_or(CaptureError::Truncated(at))?;
        let start = at + 16;
        let packet = start
            .checked_add(captured)
            .and_then(|end| data.get(start..end))
            .ok_or(CaptureError::Truncated(at))?;
        reports.extend(usbmon_report(packet, header_len));
        at = start + captured;
    }
    Ok(reports)
}

fn pcapng(data: &[u8]) -> Result<Vec<Report>, CaptureError> {
    // The section header's byte-order magic tells the order of everything after it.
    let order = match data.get(8..12) {
        Some([0x1a, 0x2b, 0x3c, 0x4d]) => Order::Big,
        Some([0x4d, 0x3c, 0x2b, 0x1a]) => Order::Little,
        _ => return Err(CaptureError::Truncated(data.len())),
    };
    let mut interfaces: Vec<Option<usize>> = Vec::new();
    let mut reports = Vec::new();
    let mut at = 0;
    while at < data.len() {
        let kind = order.u32(data, at).ok_or(CaptureError::Truncated(at))?;
        let length = order
            .u32(data, at + 4)
            .and_then(|n| usize::try_from(n).ok())
            .filter(|&n| n >= 12)
            .ok_or(CaptureError::Truncated(at))?;
        let block = at
            .checked_add(length)
            .and_then(|end| data.get(at..end))
            .ok_or(CaptureError::Truncated(at))?;
        match kind {
            // Interface description: link type.
            1 => {
                let link = order.u16(block, 8).map(u32::from);
                interfaces.push(link.and_then(usbmon_header_len));
            }
            // Enhanced packet: interface id, captured length, data at 28.
            6 => {
                let interface = order.u32(block, 8).and_then(|i| usize::try_from(i).ok());
                let header_len = interface.and_then(|i| interfaces.get(i).copied().flatten());
                let captured = order.u32(block, 20).and_then(|n| usize::try_from(n).ok());
                if let (Some(header_len), Some(captured)) = (header_len, captured)
                    && let Some(packet) = block.get(28..28usize.saturating_add(captured))
                {
                    reports.extend(usbmon_report(packet, header_len));
                }
            }
            // Simple packet: interface 0, original length at 8, data at 12.
            3 => {
                if let Some(Some(header_len)) = interfaces.first().copied() {
                    let packet = block.get(12..block.len().saturating_sub(4)).unwrap_or(&[]);
                    reports.extend(usbmon_report(packet, header_len));
                }
            }
            _ => {}
        }
        at += length;
    }
    if interfaces.iter().all(Option::is_none) {
        return Err(CaptureError::NotUsb);
    }
    Ok(reports)
}

fn usbmon_header_len(link: u32) -> Option<usize> {
    match link {
        LINKTYPE_USB_LINUX => Some(48),
        LINKTYPE_USB_LINUX_MMAPPED => Some(64),
        _ => None,
    }
}

/// The report in one usbmon packet: a completed ('C') interrupt (1) transfer from an IN endpoint.
fn usbmon_report(packet: &[u8], header_len: usize) -> Option<Report> {
    let event = *packet.get(8)?;
    let transfer_type = *packet.get(9)?;
    let endpoint = *packet.get(10)?;
    if event != b'C' || transfer_type != 1 || endpoint & 0x80 == 0 {
        return None;
    }
    let payload = packet.get(header_len..)?;
    let report = match payload.len() {
        BOOT_REPORT_LEN => payload,
        9 if payload[0] != 0 => &payload[1..],
        _ => return None,
    };
    report.try_into().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: Report = [0, 0, 4, 0, 0, 0, 0, 0];
    const UP: Report = [0; 8];

    /// A 64-byte mmapped usbmon header (little endian) followed by `data`.
    fn usbmon_packet(event: u8, transfer_type: u8, endpoint: u8, data: &[u8]) -> Vec<u8> {
        let mut p = vec![0u8; 64];
        p[8] = event;
        p[9] = transfer_type;
        p[10] = endpoint;
        p[36..40].copy_from_slice(&(data.len() as u32).to_le_bytes());
        p.extend_from_slice(data);
        p
    }

    fn packets() -> Vec<Vec<u8>> {
        vec![
            usbmon_packet(b'S', 1, 0x81, &[]),
            usbmon_packet(b'C', 1, 0x81, &A),
            usbmon_packet(b'C', 2, 0x80, &[0; 8]),
            usbmon_packet(b'C', 1, 0x02, &A),
            usbmon_packet(b'C', 1, 0x81, &UP),
        ]
    }

    #[test]
    fn pcap_little_endian() {
        let mut file = vec![0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0];
        file.extend_from_slice(&[0; 8]);
        file.extend_from_slice(&65535u32.to_le_bytes());
        file.extend_from_slice(&LINKTYPE_USB_LINUX_MMAPPED.to_le_bytes());
        for p in packets() {
            file.extend_from_slice(&[0; 8]);
            file.extend_from_slice(&(p.len() as u32).to_le_bytes());
            file.extend_from_slice(&(p.len() as u32).to_le_bytes());
            file.extend_from_slice(&p);
        }
        assert_eq!(reports_from_capture(&file), Ok(vec![A, UP]));
        file.truncate(file.len() - 3);
        assert!(matches!(
            reports_from_capture(&file),
            Err(CaptureError::Truncated(_))
        ));
    }

    fn block(kind: u32, body: &[u8]) -> Vec<u8> {
        let mut body = body.to_vec();
        while !body.len().is_multiple_of(4) {
            body.push(0);
        }
        let length = (body.len() + 12) as u32;
        let mut b = kind.to_le_bytes().to_vec();
        b.extend_from_slice(&length.to_le_bytes());
        b.extend_from_slice(&body);
        b.extend_from_slice(&length.to_le_bytes());
        b
    }

    #[test]
    fn pcapng_with_enhanced_packets() {
        let mut shb = vec![0x4d, 0x3c, 0x2b, 0x1a, 1, 0, 0, 0];
        shb.extend_from_slice(&u64::MAX.to_le_bytes());
        let mut file = block(0x0a0d_0d0a, &shb);
        let mut idb = (LINKTYPE_USB_LINUX_MMAPPED as u16).to_le_bytes().to_vec();
        idb.extend_from_slice(&[0, 0, 0, 0, 0, 0]);
        file.extend(block(1, &idb));
        for p in packets() {
            let mut epb = vec![0u8; 12];
            epb.extend_from_slice(&(p.len() as u32).to_le_bytes());
            epb.extend_from_slice(&(p.len() as u32).to_le_bytes());
            epb.extend_from_slice(&p);
            file.extend(block(6, &epb));
        }
        assert_eq!(reports_from_capture(&file), Ok(vec![A, UP]));
    }

    #[test]
    fn packet_captures_are_recognised() {
        assert_eq!(
            capture_format(&[0x0a, 0x0d, 0x0d, 0x0a, 0, 0]),
            Some("pcapng")
        );
        assert_eq!(capture_format(&[0xd4, 0xc3, 0xb2, 0xa1]), Some("pcap"));
        assert_eq!(capture_format(&A), None);
        assert_eq!(capture_format(b"00"), None);
    }

    #[test]
    fn other_link_types_are_refused() {
        let mut file = vec![0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0];
        file.extend_from_slice(&[0; 12]);
        file.extend_from_slice(&1u32.to_le_bytes());
        assert_eq!(reports_from_capture(&file), Err(CaptureError::NotUsb));
        assert_eq!(
            reports_from_capture(b"0000"),
            Err(CaptureError::NotACapture)
        );
    }
}
