//! Timestamps: ISO 8601 with milliseconds and an offset, as KOMOJU writes them
//! (`2020-08-17T18:03:53.000+09:00`); any RFC 3339 form (`…Z`, no fraction) is read.

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Deserializer, Serializer};

pub type Timestamp = DateTime<FixedOffset>;

const FORMAT: &str = "%Y-%m-%dT%H:%M:%S%.3f%:z";

/// A timestamp as KOMOJU writes one.
pub fn format(t: &Timestamp) -> String {
    t.format(FORMAT).to_string()
}

pub fn serialize<S: Serializer>(t: &Timestamp, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&format(t))
}

pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Timestamp, D::Error> {
    let text = String::deserialize(d)?;
    DateTime::parse_from_rfc3339(&text).map_err(serde::de::Error::custom)
}

/// The same for a nullable timestamp.
pub mod nullable {
    use super::*;

    pub fn serialize<S: Serializer>(t: &Option<Timestamp>, s: S) -> Result<S::Ok, S::Error> {
        match t {
            Some(t) => super::serialize(t, s),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Timestamp>, D::Error> {
        match Option::<String>::deserialize(d)? {
            Some(text) => DateTime::parse_from_rfc3339(&text)
                .map(Some)
                .map_err(serde::de::Error::custom),
            None => Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_written_with_milliseconds_and_offset_and_read_in_either_form() {
        let t = DateTime::parse_from_rfc3339("2020-08-17T18:03:53+09:00").unwrap();
        assert_eq!(format(&t), "2020-08-17T18:03:53.000+09:00");
        let z = DateTime::parse_from_rfc3339("2018-11-13T06:20:21Z").unwrap();
        assert_eq!(format(&z), "2018-11-13T06:20:21.000+00:00");
    }
}
