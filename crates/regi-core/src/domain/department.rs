//! Departments (部門キー): the keys 1–9 a clerk rings an open price (or a department's fixed
//! price) under, each carrying the tax rate its goods are sold at, so a food shop can ring an 8 %
//! item without a barcode.

use super::money::Yen;
use super::tax::TaxRate;

/// The highest department key.
pub const MAX_DEPARTMENT: u8 = 9;

/// One department as configured.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Department {
    /// Its key, 1 to [`MAX_DEPARTMENT`].
    pub number: u8,
    /// Shown on the sale screen and printed on the receipt line.
    pub name: String,
    pub rate: TaxRate,
    /// Rung when the clerk presses the key without typing a price.
    pub price: Option<Yen>,
}

/// The configured departments, by key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Departments(Vec<Department>);

impl Departments {
    /// Departments in key order; the caller has checked each key is 1–9 and used once.
    pub fn new(mut departments: Vec<Department>) -> Self {
        departments.sort_by_key(|d| d.number);
        Self(departments)
    }

    pub fn get(&self, number: u8) -> Option<&Department> {
        self.0.iter().find(|d| d.number == number)
    }

    pub fn iter(&self) -> impl Iterator<Item = &Department> {
        self.0.iter()
    }
}

impl Default for Departments {
    /// Without a `[departments]` table: 1 is general goods at 10 %, 2 is food at 8 %.
    fn default() -> Self {
        Self(vec![
            Department {
                number: 1,
                name: "一般".to_owned(),
                rate: TaxRate::Standard10,
                price: None,
            },
            Department {
                number: 2,
                name: "食品".to_owned(),
                rate: TaxRate::Reduced8,
                price: None,
            },
        ])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_configuration_general_is_ten_percent_and_food_eight() {
        let d = Departments::default();
        assert_eq!(
            d.get(1).map(|d| (d.name.as_str(), d.rate)),
            Some(("一般", TaxRate::Standard10))
        );
        assert_eq!(
            d.get(2).map(|d| (d.name.as_str(), d.rate)),
            Some(("食品", TaxRate::Reduced8))
        );
        assert_eq!(d.get(3), None);
    }

    #[test]
    fn departments_are_kept_in_key_order() {
        let dept = |number| Department {
            number,
            name: format!("d{number}"),
            rate: TaxRate::Standard10,
            price: None,
        };
        let d = Departments::new(vec![dept(5), dept(2)]);
        assert_eq!(d.iter().map(|d| d.number).collect::<Vec<_>>(), vec![2, 5]);
    }
}
