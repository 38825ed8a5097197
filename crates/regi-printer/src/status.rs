//! `DLE EOT n` real-time status: requests and the meaning of the answers.

use super::escpos::{DLE, EOT};

/// Which status byte to ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusQuery {
    /// n = 1: online/offline, drawer.
    Printer = 1,
    /// n = 2: why offline (cover open, paper end, error).
    OfflineCause = 2,
    /// n = 4: roll paper sensors.
    PaperSensor = 4,
}

impl StatusQuery {
    pub const ALL: [StatusQuery; 3] = [
        StatusQuery::Printer,
        StatusQuery::OfflineCause,
        StatusQuery::PaperSensor,
    ];

    pub fn request(self) -> [u8; 3] {
        [DLE, EOT, self as u8]
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PrinterStatus {
    pub online: bool,
    pub cover_open: bool,
    pub paper_out: bool,
    pub paper_near_end: bool,
    pub error: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StatusError {
    #[error("status byte {byte:#04X} for DLE EOT {query} is malformed")]
    Malformed { query: u8, byte: u8 },
}

/// Why a job cannot be printed now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrinterProblem {
    CoverOpen,
    PaperOut,
    Error,
    Offline,
}

impl PrinterProblem {
    pub fn message_ja(self) -> &'static str {
        match self {
            PrinterProblem::CoverOpen => {
                "プリンターのカバーが開いています。カバーを閉じてください。"
            }
            PrinterProblem::PaperOut => "レシート用紙がありません。用紙を補充してください。",
            PrinterProblem::Error => "プリンターでエラーが発生しました。電源を入れ直してください。",
            PrinterProblem::Offline => "プリンターがオフラインです。接続と電源を確認してください。",
        }
    }

    pub fn message_en(self) -> &'static str {
        match self {
            PrinterProblem::CoverOpen => "The printer cover is open. Close it.",
            PrinterProblem::PaperOut => "The printer is out of paper. Load a new roll.",
            PrinterProblem::Error => "The printer reports an error. Switch it off and on again.",
            PrinterProblem::Offline => "The printer is offline. Check its cable and power.",
        }
    }
}

/// A valid status byte has bit 1 and bit 4 set, bits 0 and 7 clear.
fn check(query: StatusQuery, byte: u8) -> Result<u8, StatusError> {
    if byte & 0b1001_0011 == 0b0001_0010 {
        Ok(byte)
    } else {
        Err(StatusError::Malformed {
            query: query as u8,
            byte,
        })
    }
}

impl PrinterStatus {
    /// Builds the status from the answers to `DLE EOT 1`, `2` and `4`.
    pub fn from_bytes(printer: u8, offline_cause: u8, paper: u8) -> Result<Self, StatusError> {
        let printer = check(StatusQuery::Printer, printer)?;
        let cause = check(StatusQuery::OfflineCause, offline_cause)?;
        let paper = check(StatusQuery::PaperSensor, paper)?;
        Ok(PrinterStatus {
            online: printer & 0x08 == 0,
            cover_open: cause & 0x04 != 0,
            paper_out: cause & 0x20 != 0 || paper & 0x60 != 0,
            paper_near_end: paper & 0x0C != 0,
            error: cause & 0x40 != 0,
        })
    }

    /// The status bytes a printer in this state answers (for fakes and tests).
    pub fn to_bytes(self) -> [u8; 3] {
        let base = 0x12;
        let printer = base | if self.online { 0 } else { 0x08 };
        let cause = base
            | if self.cover_open { 0x04 } else { 0 }
            | if self.paper_out { 0x20 } else { 0 }
            | if self.error { 0x40 } else { 0 };
        let paper = base
            | if self.paper_near_end { 0x0C } else { 0 }
            | if self.paper_out { 0x60 } else { 0 };
        [printer, cause, paper]
    }

    pub const READY: PrinterStatus = PrinterStatus {
        online: true,
        cover_open: false,
        paper_out: false,
        paper_near_end: false,
        error: false,
    };

    /// The answer for a given query (for fakes and tests).
    pub fn answer(self, query: u8) -> Option<u8> {
        let [printer, cause, paper] = self.to_bytes();
        match query {
            1 => Some(printer),
            2 => Some(cause),
            3 => Some(0x12),
            4 => Some(paper),
            _ => None,
        }
    }

    /// What stops printing, most specific first; `None` when a job can be sent.
    pub fn problem(self) -> Option<PrinterProblem> {
        if self.cover_open {
            Some(PrinterProblem::CoverOpen)
        } else if self.paper_out {
            Some(PrinterProblem::PaperOut)
        } else if self.error {
            Some(PrinterProblem::Error)
        } else if !self.online {
            Some(PrinterProblem::Offline)
        } else {
            None
        }
    }

    pub fn can_print(self) -> bool {
        self.problem().is_none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epson_answers_decode() {
        // Online, everything fine.
        let ok = PrinterStatus::from_bytes(0x16, 0x12, 0x12).expect("valid");
        assert_eq!(ok, PrinterStatus::READY);
        // Offline with the cover open.
        let cover = PrinterStatus::from_bytes(0x1E, 0x16, 0x12).expect("valid");
        assert!(!cover.online && cover.cover_open);
        assert_eq!(cover.problem(), Some(PrinterProblem::CoverOpen));
        // Paper end: printing stopped, sensor says roll end.
        let paper = PrinterStatus::from_bytes(0x1E, 0x32, 0x72).expect("valid");
        assert_eq!(paper.problem(), Some(PrinterProblem::PaperOut));
        // Near end only still prints.
        let near = PrinterStatus::from_bytes(0x12, 0x12, 0x1E).expect("valid");
        assert!(near.paper_near_end && near.can_print());
    }

    #[test]
    fn malformed_bytes_are_rejected() {
        assert_eq!(
            PrinterStatus::from_bytes(0x00, 0x12, 0x12),
            Err(StatusError::Malformed {
                query: 1,
                byte: 0x00
            })
        );
        assert!(PrinterStatus::from_bytes(0x12, 0x93, 0x12).is_err());
    }

    #[test]
    fn bytes_round_trip() {
        for status in [
            PrinterStatus::READY,
            PrinterStatus {
                online: false,
                paper_out: true,
                ..PrinterStatus::READY
            },
            PrinterStatus {
                online: false,
                cover_open: true,
                ..PrinterStatus::READY
            },
        ] {
            let [a, b, c] = status.to_bytes();
            assert_eq!(PrinterStatus::from_bytes(a, b, c), Ok(status));
        }
    }

    #[test]
    fn every_problem_has_messages() {
        for p in [
            PrinterProblem::CoverOpen,
            PrinterProblem::PaperOut,
            PrinterProblem::Error,
            PrinterProblem::Offline,
        ] {
            assert!(!p.message_ja().is_empty() && !p.message_en().is_empty());
        }
        assert_eq!(StatusQuery::PaperSensor.request(), [0x10, 0x04, 4]);
    }
}
