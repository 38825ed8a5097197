//! The parts of every slip that come from the configuration: the store and this terminal.

use regi_config::Config;
use regi_printer::receipt::{StoreHeader, TerminalInfo};

/// The store as configured in `[store]`. Multi-line values (address, footer) print line by line.
pub fn store_header(config: &Config) -> StoreHeader {
    let store = &config.store;
    StoreHeader {
        name: store.name.trim().to_owned(),
        registration_number: store
            .registration_number
            .as_ref()
            .map(|n| n.as_str().to_owned())
            .unwrap_or_default(),
        address: non_empty_lines(&store.address),
        phone: store.phone.trim().to_owned(),
        footer: non_empty_lines(&store.receipt_footer),
    }
}

/// This terminal; `recorded_name` (the name the journal kept with a sale) wins over the current
/// configuration so a reprint shows what the original showed.
pub fn terminal_info(config: &Config, recorded_name: &str) -> TerminalInfo {
    let name = if recorded_name.trim().is_empty() {
        config.terminal.name.clone()
    } else {
        recorded_name.trim().to_owned()
    };
    TerminalInfo {
        name,
        id: config.terminal.id.clone(),
        staff: None,
    }
}

fn non_empty_lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_takes_the_store_section_line_by_line() {
        let mut config = Config::default();
        config.store.name = " 本店 ".into();
        config.store.address = "〒150-0041\n 東京都渋谷区 \n\n".into();
        config.store.receipt_footer = "ありがとう\nまたどうぞ".into();
        let header = store_header(&config);
        assert_eq!(header.name, "本店");
        assert_eq!(header.address, ["〒150-0041", "東京都渋谷区"]);
        assert_eq!(header.footer, ["ありがとう", "またどうぞ"]);
        assert_eq!(header.registration_number, "");
    }

    #[test]
    fn recorded_terminal_name_wins() {
        let config = Config::default();
        assert_eq!(terminal_info(&config, "レジ9").name, "レジ9");
        assert_eq!(terminal_info(&config, " ").name, config.terminal.name);
        assert_eq!(terminal_info(&config, "").id, config.terminal.id);
    }
}
