//! Resource ids as KOMOJU makes them: 25 lowercase alphanumeric characters (the PHP SDK refuses
//! any other length before sending).

use rand::Rng;

pub const ID_LEN: usize = 25;

const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";

/// A fresh random id.
pub fn new_id() -> String {
    let mut rng = rand::rng();
    (0..ID_LEN)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect()
}

/// Whether `text` has the shape of a KOMOJU id.
pub fn is_id(text: &str) -> bool {
    text.len() == ID_LEN && text.bytes().all(|b| ALPHABET.contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_25_lowercase_alphanumerics_and_differ() {
        let (a, b) = (new_id(), new_id());
        assert!(is_id(&a) && is_id(&b));
        assert_ne!(a, b);
        assert!(!is_id("ABCDEFGHIJKLMNOPQRSTUVWXY"));
    }
}
