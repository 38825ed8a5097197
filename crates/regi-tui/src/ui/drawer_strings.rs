//! The drawer's words that carry an amount: why a movement was refused, and the cash labels of
//! the reports in the clerk's language. Kept beside `strings` so the tables stay plain data.

use regi_core::records::{CashWords, DrawerRefusal};

use super::strings::{Lang, Strings};

impl Strings {
    /// Why the journal refused a drawer movement, and what to do instead.
    pub fn drawer_refusal(&self, refusal: &DrawerRefusal) -> String {
        match (self.lang, refusal) {
            (Lang::Ja, DrawerRefusal::FloatAlreadySet(float)) => format!(
                "本日の釣銭準備金は設定済みです（{float}）。変更は入金・出金で行ってください"
            ),
            (Lang::En, DrawerRefusal::FloatAlreadySet(float)) => format!(
                "Today's opening float is already set ({float}); use paid-in or paid-out to change the cash"
            ),
            (Lang::Ja, DrawerRefusal::AmountNotPositive) => {
                "1円以上の金額を入力してください".into()
            }
            (Lang::En, DrawerRefusal::AmountNotPositive) => "Enter an amount above ¥0".into(),
            (Lang::Ja, DrawerRefusal::ReasonMissing) => "理由を入力してください".into(),
            (Lang::En, DrawerRefusal::ReasonMissing) => "Enter a reason".into(),
            (Lang::Ja, DrawerRefusal::PaidOutExceedsCash { expected }) => {
                format!("ドロワーの現金は {expected} のはずです。それ以上は出金できません")
            }
            (Lang::En, DrawerRefusal::PaidOutExceedsCash { expected }) => {
                format!("The drawer should hold only {expected}; a paid-out cannot take more")
            }
            (Lang::Ja, DrawerRefusal::NoOpenDay) => {
                "営業日が開いていません（Z精算済みです）".into()
            }
            (Lang::En, DrawerRefusal::NoOpenDay) => {
                "No business day is open (the last one was closed by its Z report)".into()
            }
            (Lang::Ja, DrawerRefusal::UnknownDenomination(face)) => {
                format!("{face}円という金種はありません")
            }
            (Lang::En, DrawerRefusal::UnknownDenomination(face)) => {
                format!("There is no ¥{face} note or coin")
            }
            (Lang::Ja, DrawerRefusal::TooManyPieces) => "枚数が多すぎます".into(),
            (Lang::En, DrawerRefusal::TooManyPieces) => "Too many pieces".into(),
        }
    }

    /// The labels of the drawer's cash (float, expected, counted, over/short).
    pub fn cash_words(&self) -> &'static CashWords {
        CashWords::of(self.lang)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::strings::LangStrings;
    use regi_core::domain::Yen;

    #[test]
    fn a_second_float_points_to_paid_in_and_out_in_both_languages() {
        let refusal = DrawerRefusal::FloatAlreadySet(Yen(10_000));
        let ja = Lang::Ja.strings().drawer_refusal(&refusal);
        assert!(ja.contains("¥10,000") && ja.contains("入金・出金"), "{ja}");
        let en = Lang::En.strings().drawer_refusal(&refusal);
        assert!(en.contains("paid-in or paid-out"), "{en}");
    }
}
