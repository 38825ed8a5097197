//! The words of signing in and out (担当者), in the clerk's language.

use super::strings::{Lang, Strings};

pub struct StaffWords {
    pub title: &'static str,
    pub prompt: &'static str,
    pub code: &'static str,
    pub pin: &'static str,
    pub card: &'static str,
    pub checking: &'static str,
    pub refused: &'static str,
    pub unknown_card: &'static str,
    pub finish_first: &'static str,
    pub on_duty: &'static str,
    pub key_sign_out: &'static str,
    pub key_next: &'static str,
    pub key_sign_in: &'static str,
}

pub static JA: StaffWords = StaffWords {
    title: "担当者サインイン",
    prompt: "担当者コードと暗証番号を入力するか、担当者カードを読み取ってください",
    code: "担当者コード",
    pin: "暗証番号",
    card: "担当者カードを読み取ってもサインインできます",
    checking: "確認しています…",
    refused: "担当者コードか暗証番号が違います",
    unknown_card: "登録されていない担当者カードです",
    finish_first: "会計を終える（または取消・保留する）と担当を交代できます",
    on_duty: "担当",
    key_sign_out: "担当交代",
    key_next: "次へ",
    key_sign_in: "サインイン",
};

pub static EN: StaffWords = StaffWords {
    title: "Staff sign-in",
    prompt: "Type your staff code and PIN, or scan your staff card",
    code: "Staff code",
    pin: "PIN",
    card: "Scanning a staff card signs you in too",
    checking: "Checking…",
    refused: "Wrong staff code or PIN",
    unknown_card: "This staff card is not registered",
    finish_first: "Finish the sale (or void or park it) before signing out",
    on_duty: "Staff",
    key_sign_out: "Sign out",
    key_next: "Next",
    key_sign_in: "Sign in",
};

impl Strings {
    pub fn staff(&self) -> &'static StaffWords {
        match self.lang {
            Lang::Ja => &JA,
            Lang::En => &EN,
        }
    }

    pub fn signed_in(&self, name: &str) -> String {
        match self.lang {
            Lang::Ja => format!("{name} さんが担当です"),
            Lang::En => format!("{name} is on duty"),
        }
    }
}
