//! Every clerk-visible string, in Japanese and English.
//!
//! Views never spell out text themselves: they ask `Strings` for it, so a screen can be checked in
//! both languages and a wording change happens in one place.

use regi_core::app::ReceiptLookupError;
use regi_core::domain::{FailReason, PaymentMethod, Yen};
pub use regi_core::lang::Lang;

/// The clerk-visible strings of a language (`Lang` lives in the core; its texts live here).
pub trait LangStrings {
    fn strings(self) -> &'static Strings;
}

impl LangStrings for Lang {
    /// The clerk-visible strings in this language.
    fn strings(self) -> &'static Strings {
        match self {
            Lang::Ja => &JA,
            Lang::En => &EN,
        }
    }
}

/// A failure explained to the clerk: what happened, and what to do next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Explanation {
    pub reason: &'static str,
    pub next_step: &'static str,
}

/// The table of fixed strings for one language; parameterised ones are methods.
#[derive(Debug)]
pub struct Strings {
    pub lang: Lang,
    pub app_name: &'static str,
    pub training_banner: &'static str,

    // Outcome labels: these carry the meaning even without colour.
    pub label_paid: &'static str,
    pub label_failed: &'static str,
    pub label_checking: &'static str,
    /// The outcome of a payment that may have been charged is not known yet.
    pub label_unknown: &'static str,
    pub label_cancelled: &'static str,
    pub label_refunded: &'static str,
    /// A sale paid and held by the provider until the clerk captures it.
    pub label_held: &'static str,
    pub label_partly_paid: &'static str,
    /// Customers' tabs: the screen, its list and statement, closing.
    pub title_tabs: &'static str,
    pub key_tabs: &'static str,
    pub key_close_tab: &'static str,
    pub key_statement: &'static str,
    pub key_charge: &'static str,
    pub tabs_loading: &'static str,
    pub tabs_empty: &'static str,
    pub tabs_none_open: &'static str,
    pub tabs_filter: &'static str,
    pub col_label: &'static str,
    pub col_card: &'static str,
    pub col_charges: &'static str,
    pub col_until: &'static str,
    pub tab_state_opening: &'static str,
    pub tab_state_open: &'static str,
    pub tab_state_expired: &'static str,
    pub tab_state_closing: &'static str,
    pub tab_state_closed: &'static str,
    pub tab_state_failed: &'static str,
    pub tab_total: &'static str,
    pub tab_no_charges: &'static str,
    pub tab_close_confirm: &'static str,
    pub tab_closing: &'static str,
    pub tab_billed: &'static str,
    pub tab_unknown: &'static str,
    pub tab_not_billed: &'static str,
    /// Opening a tab at the till.
    pub key_open_tab: &'static str,
    pub tab_scan_code: &'static str,
    pub tab_reading: &'static str,
    pub tab_choose_card: &'static str,
    pub tab_label_prompt: &'static str,
    pub tab_days_prompt: &'static str,
    pub tab_open_confirm: &'static str,
    pub tab_opening: &'static str,
    pub tab_opened: &'static str,
    pub tab_no_card: &'static str,
    pub tab_days_range: &'static str,
    /// The outcome of a payment held for a later capture, and what the clerk does next.
    pub held_message: &'static str,
    pub held_next: &'static str,
    /// The history's capture of a held payment.
    pub key_capture: &'static str,
    pub capture_confirm: &'static str,
    pub capture_amount_prompt: &'static str,
    pub capture_in_progress: &'static str,
    pub capture_unknown: &'static str,
    pub capture_still_held: &'static str,
    pub capture_released: &'static str,
    pub held_amount: &'static str,
    /// A partial refund: how much, and what earlier refunds gave back.
    pub refund_amount_prompt: &'static str,
    pub refunded_so_far: &'static str,
    pub label_training: &'static str,
    pub label_expired: &'static str,
    pub label_open: &'static str,
    pub label_ok: &'static str,
    pub label_ng: &'static str,
    /// A check that passed but has something to improve.
    pub label_warn: &'static str,

    // Sale screen.
    pub title_sale: &'static str,
    pub title_topup: &'static str,
    pub cart_empty: &'static str,
    pub col_item: &'static str,
    pub col_qty: &'static str,
    pub col_price: &'static str,
    pub manual_amount: &'static str,
    pub subtotal_10: &'static str,
    pub subtotal_8: &'static str,
    pub tax_included: &'static str,
    pub total: &'static str,
    pub topup_amount: &'static str,
    pub input_label: &'static str,
    pub unknown_product: &'static str,
    pub nothing_to_pay: &'static str,
    pub amount_too_large: &'static str,

    // Payment choice.
    pub title_pay_method: &'static str,
    pub method_merchant_qr: &'static str,
    pub method_customer_code: &'static str,
    /// A listed way to pay whose QR opens the provider's payment page.
    pub method_hosted_page: &'static str,
    pub method_qr_short: &'static str,
    pub method_page_short: &'static str,
    pub method_code_short: &'static str,
    /// A sale charged to a customer's tab: short, and as the payment screen describes it.
    pub method_tab_short: &'static str,
    pub method_tab: &'static str,
    pub method_cash_short: &'static str,
    pub method_cash: &'static str,

    // QR wait.
    pub title_qr_wait: &'static str,
    /// Before the name of the way to pay the QR on screen is for.
    pub qr_pay_with: &'static str,
    /// Phrases on lines of their own (`\n`): Japanese has no spaces for the wrap to break at.
    pub qr_instruction: &'static str,
    /// The instruction when the QR opens the provider's payment page.
    pub qr_page_instruction: &'static str,
    pub qr_creating: &'static str,
    pub qr_too_small: &'static str,
    pub status_waiting: &'static str,
    pub status_cancelling: &'static str,

    // Scan wait.
    pub title_scan_wait: &'static str,
    pub scan_instruction: &'static str,
    pub scan_typed: &'static str,
    pub scan_not_a_payment_code: &'static str,
    pub charging: &'static str,

    // Result.
    pub title_result: &'static str,
    pub paid_message: &'static str,
    pub topped_up_message: &'static str,
    pub checking_message: &'static str,
    pub still_checking: &'static str,
    pub please_wait: &'static str,
    pub cancelled_message: &'static str,
    pub paid_before_cancel: &'static str,
    pub transaction_id: &'static str,
    pub customer: &'static str,
    pub amount: &'static str,
    pub next_step: &'static str,

    // History.
    pub title_history: &'static str,
    pub history_empty: &'static str,
    pub history_loading: &'static str,
    pub col_time: &'static str,
    pub col_kind: &'static str,
    pub col_amount: &'static str,
    pub col_status: &'static str,
    pub kind_payment: &'static str,
    pub kind_topup: &'static str,
    pub title_detail: &'static str,
    pub refund_pin_prompt: &'static str,
    pub refund_confirm: &'static str,
    pub refund_wrong_pin: &'static str,
    pub pin_checking: &'static str,
    pub refund_in_progress: &'static str,
    pub refund_done: &'static str,
    pub reprint_sent: &'static str,
    pub printer_unavailable: &'static str,

    // Reports.
    pub title_reports: &'static str,
    pub report_x: &'static str,
    pub report_z: &'static str,
    pub report_z_confirm: &'static str,
    pub report_count: &'static str,
    pub report_sales: &'static str,
    pub report_refunds: &'static str,
    pub report_topups: &'static str,
    pub report_net: &'static str,
    pub report_loading: &'static str,
    pub report_z_done: &'static str,

    // Status / diagnostics.
    pub title_status: &'static str,
    pub api_checking: &'static str,
    pub recovery: &'static str,
    pub recovery_none: &'static str,
    pub printer: &'static str,
    pub scanner: &'static str,
    pub device_missing: &'static str,
    pub config_summary: &'static str,

    // Added notices and outcomes.
    pub not_a_product_code: &'static str,
    pub not_a_receipt_code: &'static str,
    pub bad_quantity: &'static str,
    pub refund_unknown: &'static str,
    pub unresolved_message: &'static str,
    pub unresolved_next: &'static str,
    pub unrecorded_message: &'static str,
    pub unrecorded_do_not_retry: &'static str,
    unrecorded_next_disk_full: &'static str,
    unrecorded_next_unwritable: &'static str,
    pub report_nothing: &'static str,
    pub report_attempts: &'static str,
    pub receipt_no: &'static str,

    // Diagnostics (status screen and `regi doctor`).
    pub check_config: &'static str,
    pub check_secret_file: &'static str,
    pub detail_owner_only: &'static str,
    pub detail_config_default: &'static str,
    pub hint_config: &'static str,
    pub hint_printer: &'static str,
    pub hint_scanner: &'static str,
    pub check_drawer: &'static str,
    pub detail_drawer_printer: &'static str,
    pub detail_drawer_none: &'static str,
    pub drawer_not_writable: &'static str,
    pub hint_drawer: &'static str,
    pub detail_missing: &'static str,
    pub detail_set: &'static str,
    pub check_manager_pin: &'static str,
    pub detail_pin_hashed: &'static str,
    pub detail_pin_plain: &'static str,
    pub hint_pin_set: &'static str,

    // `regi pin`.
    pub pin_new_prompt: &'static str,
    pub pin_again_prompt: &'static str,
    pub pin_invalid: &'static str,
    pub pin_mismatch: &'static str,
    pub pin_set_done: &'static str,
    pub pin_cleared: &'static str,
    pub pin_was_not_set: &'static str,

    // Start-up.
    pub recovering: &'static str,
    pub cannot_start: &'static str,

    // Errors from background work.
    pub error_prefix: &'static str,

    // Key hint labels.
    pub key_pay: &'static str,
    pub key_back: &'static str,
    pub key_cancel: &'static str,
    pub key_delete_line: &'static str,
    pub key_qty: &'static str,
    pub key_clear: &'static str,
    pub key_topup: &'static str,
    pub key_sale: &'static str,
    pub key_history: &'static str,
    pub key_reports: &'static str,
    pub key_status: &'static str,
    pub key_quit: &'static str,
    pub key_select: &'static str,
    pub key_detail: &'static str,
    pub key_refund: &'static str,
    pub key_reprint: &'static str,
    pub key_receipt_preview: &'static str,
    pub key_scroll: &'static str,
    pub title_preview: &'static str,
    pub preview_not_printed: &'static str,
    pub key_confirm: &'static str,
    pub key_new_sale: &'static str,
    pub key_retry: &'static str,
    pub key_new_qr: &'static str,
    pub key_rescan: &'static str,
    pub key_other_method: &'static str,
    pub key_customer_pays: &'static str,
    pub key_customer_fails: &'static str,
    pub key_customer_shows_code: &'static str,
    pub key_refresh: &'static str,

    // History: the provider and way to pay of a sale's payment.
    pub col_paid_with: &'static str,

    // The drawer: opening float, paid-in/out, the cash count.
    pub drawer_menu: &'static str,
    pub drawer_float: &'static str,
    pub drawer_paid_in: &'static str,
    pub drawer_paid_out: &'static str,
    pub drawer_count: &'static str,
    pub drawer_amount: &'static str,
    pub drawer_reason: &'static str,
    pub drawer_denomination: &'static str,
    pub drawer_pieces: &'static str,
    pub drawer_recorded: &'static str,
    pub drawer_opened: &'static str,
    pub drawer_not_opened: &'static str,
    pub drawer_pin_prompt: &'static str,
    pub drawer_count_hint: &'static str,
    pub drawer_saving: &'static str,
    pub drawer_no_day: &'static str,
    // Cash and sales paid by several tenders.
    pub title_cash: &'static str,
    pub cash_received: &'static str,
    pub cash_change: &'static str,
    pub cash_left_to_pay: &'static str,
    pub cash_prompt: &'static str,
    pub cash_exact: &'static str,
    pub cash_recording: &'static str,
    pub key_amount: &'static str,
    pub key_quick: &'static str,
    pub key_part: &'static str,
    pub part_prompt: &'static str,
    pub part_next: &'static str,
    pub paid_so_far: &'static str,
    pub leave_question: &'static str,
    pub leave_quit_note: &'static str,
    pub key_go_on: &'static str,
    pub key_give_back: &'static str,
    pub giving_back: &'static str,
    pub resumed_banner: &'static str,
    pub cash_not_taken: &'static str,
    pub cash_drawer_not_opened: &'static str,
    pub given_back: &'static str,
    pub pay_rest_other_way: &'static str,
    // Reports: the breakdown, the Z confirmation and the chart.
    pub report_rate_taxable: &'static str,
    pub report_rate_tax: &'static str,
    pub report_voided: &'static str,
    pub report_discounts: &'static str,
    pub report_day_no: &'static str,
    pub report_z_type: &'static str,
    pub report_z_mismatch: &'static str,
    pub report_by_hour: &'static str,
    pub key_department: &'static str,
    pub no_such_department: &'static str,
    pub key_not_used: &'static str,
    pub receipt_code_prompt: &'static str,
    pub quit_asks: &'static str,
    pub quit_asks_qr: &'static str,
    pub quit_when_settled: &'static str,
    pub bad_discount: &'static str,
    pub key_discount: &'static str,
    pub discount_label: &'static str,
    pub discount_reason: &'static str,
    // The catalog file: `regi doctor`, the status screen and the sale screen's status line.
    pub check_catalog: &'static str,
    pub catalog_products: &'static str,
    pub catalog_rows_left_out: &'static str,
    /// Beside the catalog's product count once a store catalog was taken while running.
    pub store_catalog_version: &'static str,
    pub hint_catalog: &'static str,
    pub hint_catalog_rows: &'static str,
    // `regi doctor`: the store on the receipts, the data directory, the disk, training.
    pub check_store: &'static str,
    pub hint_store: &'static str,
    pub detail_not_invoice_issuer: &'static str,
    pub check_data_dir: &'static str,
    pub detail_data_dir_new: &'static str,
    pub check_disk: &'static str,
    pub hint_disk: &'static str,
    pub detail_training_sandbox: &'static str,
    pub training_why_asked: &'static str,
    pub training_why_no_credentials: &'static str,
    pub label_topup_cancelled: &'static str,
    // The scanner line of the status screen and the doctor.
    pub scanner_wedge_works: &'static str,
    pub hint_scanner_usb: &'static str,
    pub check_mode: &'static str,
    // Returns of lines in the history.
    pub return_title: &'static str,
    pub return_col_sold: &'static str,
    pub return_col_returned: &'static str,
    pub return_col_back: &'static str,
    pub return_amount: &'static str,
    pub return_via: &'static str,
    pub return_nothing: &'static str,
    pub return_confirm: &'static str,
    pub key_pick_qty: &'static str,
    pub key_refund_all: &'static str,
    pub key_return: &'static str,
    // Finding a sale of any day in the history.
    pub key_find: &'static str,
    pub key_find_by: &'static str,
    pub find_by_no: &'static str,
    pub find_by_amount: &'static str,
    pub find_by_time: &'static str,
    pub find_bad: &'static str,
    pub find_none: &'static str,
    pub found_title: &'static str,
    pub title_found: &'static str,
    // An unknown JAN priced on the sale screen.
    pub unknown_jan_prompt: &'static str,
    pub unknown_jan_price: &'static str,
    pub unknown_jan_save: &'static str,
    pub key_save_product: &'static str,
    pub key_leave_out: &'static str,
    pub price_needs_department: &'static str,
    pub product_saved: &'static str,
    pub product_not_saved: &'static str,
    /// In store mode a product is added to the store's catalog (`regi store catalog push`).
    pub product_goes_to_the_store_catalog: &'static str,
    pub key_refund_slip: &'static str,
}

pub static JA: Strings = Strings {
    lang: Lang::Ja,
    app_name: "レジ",
    training_banner: "【練習モード】実際の決済は行われません",

    label_paid: "【完了】",
    label_failed: "【失敗】",
    label_checking: "【確認中】",
    label_unknown: "【未確定】",
    label_cancelled: "【取消】",
    label_refunded: "【返金済】",
    label_held: "【保留】",
    label_partly_paid: "【一部入金】",
    title_tabs: "ツケ（タブ）",
    key_tabs: "ツケ",
    key_close_tab: "締めて請求",
    key_statement: "明細",
    key_charge: "このツケに付ける",
    tabs_loading: "ツケを読み込んでいます…",
    tabs_empty: "ツケはありません",
    tabs_none_open: "付けられるツケがありません（ツケ画面の F2 で開設します）",
    tabs_filter: "絞り込み",
    col_label: "名前",
    col_card: "カード",
    col_charges: "件数",
    col_until: "期限",
    tab_state_opening: "【開設中】",
    tab_state_open: "【利用中】",
    tab_state_expired: "【期限切れ】",
    tab_state_closing: "【請求中】",
    tab_state_closed: "【締め済】",
    tab_state_failed: "【不成立】",
    tab_total: "合計",
    tab_no_charges: "まだ付けられた会計はありません",
    tab_close_confirm: "このツケを締めてカードに請求します",
    tab_closing: "請求しています…",
    tab_billed: "カードに請求しました",
    tab_unknown: "請求の結果を確認中です。記録済みなので次回起動時に同じキーで確認されます",
    tab_not_billed: "何も請求されていません",
    key_open_tab: "新しいツケ",
    tab_scan_code: "お客様のアプリのコードを読み取ってください",
    tab_reading: "お客様を確認しています…",
    tab_choose_card: "ツケにするカードを選んでください",
    tab_label_prompt: "名前（部屋番号・卓番・お名前）",
    tab_days_prompt: "日数（1〜30、空欄で今日まで）",
    tab_open_confirm: "このカードでツケを開設します",
    tab_opening: "開設しています…",
    tab_opened: "ツケを開設しました",
    tab_no_card: "お客様に認証済みのカードがありません。カードはお客様のアプリで登録します",
    tab_days_range: "日数は1〜30です",
    held_message: "お支払いを保留しました（まだ確定していません）",
    held_next: "商品のお渡し時に、取引履歴から確定（F6/C）してください。レシートは確定時に印刷されます",
    key_capture: "確定",
    capture_confirm: "保留中のお支払いを確定します",
    capture_amount_prompt: "確定する金額（空欄で全額）",
    capture_in_progress: "確定しています…",
    capture_unknown: "確定の結果を確認中です。記録済みなので同じ金額で再度確認されます",
    capture_still_held: "何も請求されていません。お支払いは保留のままです",
    capture_released: "お客様に戻した額",
    held_amount: "保留額",
    refund_amount_prompt: "返金する金額（空欄で残り全額）",
    refunded_so_far: "返金済み",
    label_training: "【練習】",
    label_expired: "【期限切れ】",
    label_open: "【未決済】",
    label_ok: "[OK]",
    label_ng: "[NG]",
    label_warn: "[注意]",

    title_sale: "販売",
    title_topup: "チャージ",
    cart_empty: "商品をスキャンするか、金額を入力してください",
    col_item: "品目",
    col_qty: "数量",
    col_price: "金額",
    manual_amount: "手入力",
    subtotal_10: "10%対象",
    subtotal_8: "8%対象(軽減)",
    tax_included: "内消費税",
    total: "合計",
    topup_amount: "チャージ額",
    input_label: "入力",
    unknown_product: "登録されていない商品です",
    nothing_to_pay: "金額がありません",
    amount_too_large: "金額が大きすぎます",

    title_pay_method: "支払い方法",
    method_merchant_qr: "画面のQRを読んでもらう",
    method_customer_code: "お客様のコードを読み取る",
    method_hosted_page: "QRから決済ページを開いてもらう",
    method_qr_short: "QR",
    method_page_short: "決済ページ",
    method_code_short: "コード",
    method_tab_short: "ツケ",
    method_tab: "お客様のツケ（タブ）に付ける",
    method_cash_short: "現金",
    method_cash: "現金でお預かり",

    title_qr_wait: "QR支払い",
    qr_pay_with: "支払い方法:",
    qr_instruction: "お客様にこのQRコードを\nアプリで読み取ってもらってください",
    qr_page_instruction: "お客様にこのQRコードを\nスマートフォンで読み取り、\n開いた決済ページで\n支払ってもらってください",
    qr_creating: "QRコードを作成しています…",
    qr_too_small: "画面が小さすぎてQRコードを表示できません。ウィンドウを広げてください",
    status_waiting: "お支払い待ち",
    status_cancelling: "取消しています…",

    title_scan_wait: "コード読取",
    scan_instruction: "お客様のアプリのコードをスキャナーで読み取ってください",
    scan_typed: "手入力",
    scan_not_a_payment_code: "支払いコードではありません。もう一度読み取ってください",
    charging: "決済しています…",

    title_result: "結果",
    paid_message: "お支払いが完了しました",
    topped_up_message: "チャージが完了しました",
    checking_message: "決済結果を確認しています。このままお待ちください",
    still_checking: "確認が終わるまでお待ちください",
    please_wait: "お待ちください",
    cancelled_message: "取り消しました",
    paid_before_cancel: "取消前にお客様の支払いが完了していました",
    transaction_id: "取引ID",
    customer: "お客様",
    amount: "金額",
    next_step: "次の操作",

    title_history: "本日の取引",
    history_empty: "本日の取引はありません",
    history_loading: "読み込み中…",
    col_time: "時刻",
    col_kind: "種別",
    col_amount: "金額",
    col_status: "状態",
    kind_payment: "支払い",
    kind_topup: "チャージ",
    title_detail: "取引詳細",
    refund_pin_prompt: "責任者の暗証番号を入力してください",
    refund_confirm: "この取引を返金します",
    refund_wrong_pin: "暗証番号が違います",
    pin_checking: "暗証番号を確認しています…",
    refund_in_progress: "返金しています…",
    refund_done: "返金しました",
    reprint_sent: "レシートを再発行しました",
    printer_unavailable: "プリンターが使えません",

    title_reports: "精算",
    report_x: "X(点検)",
    report_z: "Z(精算)",
    report_z_confirm: "Z精算を行うと本日の集計が締められます。よろしいですか?",
    report_count: "件数",
    report_sales: "売上",
    report_refunds: "返金",
    report_topups: "チャージ",
    report_net: "純売上",
    report_loading: "集計しています…",
    report_z_done: "Z精算を記録しました",

    title_status: "状態・診断",
    api_checking: "接続を確認しています…",
    recovery: "起動時の未確定取引",
    recovery_none: "ありません",
    printer: "プリンター",
    scanner: "スキャナー",
    device_missing: "見つかりません",
    config_summary: "設定",

    not_a_product_code: "商品コードではありません",
    not_a_receipt_code: "レシートのコードではありません",
    bad_quantity: "数量は1〜999です (手入力の行は1のみ)",
    refund_unknown: "返金の結果を確認中です。記録済みなので後で自動的に確認されます",
    unresolved_message: "決済結果を確認できませんでした",
    unresolved_next: "お客様のアプリで支払い済みか確認してください。記録は保存され、自動的に再確認されます",
    unrecorded_message: "決済結果を記録できません",
    unrecorded_do_not_retry: "もう一度決済しないでください。お客様に請求済みの可能性があります",
    unrecorded_next_disk_full: "ディスクがいっぱいです。空き容量を作ると、regi が自動で記録して結果を表示します",
    unrecorded_next_unwritable: "ジャーナルに書き込めません。書き込めるようになると、regi が自動で記録して結果を表示します",
    report_nothing: "まだ取引がありません",
    report_attempts: "失敗/期限切れ/取消",
    receipt_no: "レシート番号",

    check_config: "設定ファイル",
    check_secret_file: "秘密を含むファイルの権限",
    detail_owner_only: "持ち主だけが読めます",
    detail_config_default: "設定ファイルなし (既定値)",
    hint_config: "指摘された項目を直してください (config/regi.example.toml に全項目の説明があります)",
    hint_printer: "プリンターの電源とケーブル、regi.toml の [printer] target を確認し、regi print-test で試してください",
    hint_scanner: "スキャナーの接続と regi.toml の [scanner] を確認し、regi scan-test で試してください",
    check_drawer: "ドロア",
    detail_drawer_printer: "レシートプリンター経由 (ESC p)",
    detail_drawer_none: "なし",
    drawer_not_writable: "書き込めません",
    hint_drawer: "ドロアのケーブルと regi.toml の [drawer] port を確認してください (シリアルポートは dialout グループのユーザーが書き込めます)",
    detail_missing: "未設定",
    detail_set: "設定済み",
    check_manager_pin: "責任者暗証番号",
    detail_pin_hashed: "ハッシュ (argon2id) で保存",
    detail_pin_plain: "regi.toml に平文で保存されています",
    hint_pin_set: "`regi pin set` で設定し直すとハッシュで保存されます",
    pin_new_prompt: "新しい責任者暗証番号 (4〜8桁): ",
    pin_again_prompt: "もう一度入力してください: ",
    pin_invalid: "暗証番号は4〜8桁の数字です",
    pin_mismatch: "2回の入力が一致しません",
    pin_set_done: "責任者暗証番号を設定しました (ハッシュで保存)",
    pin_cleared: "責任者暗証番号を削除しました (返金に暗証番号は不要になります)",
    pin_was_not_set: "責任者暗証番号は設定されていません",

    recovering: "前回の未確定取引を確認しています…",
    cannot_start: "起動できません",

    error_prefix: "エラー",

    key_pay: "支払い",
    key_back: "戻る",
    key_cancel: "取消",
    key_delete_line: "行削除",
    key_qty: "数量",
    key_clear: "クリア",
    key_topup: "チャージ",
    key_sale: "販売",
    key_history: "履歴",
    key_reports: "精算",
    key_status: "状態",
    key_quit: "終了",
    key_select: "選択",
    key_detail: "詳細",
    key_refund: "返金",
    key_reprint: "再発行",
    key_receipt_preview: "レシート表示",
    key_scroll: "スクロール",
    title_preview: "レシート表示（練習）",
    preview_not_printed: "練習モード：印刷されません",
    key_confirm: "確定",
    key_new_sale: "次の会計",
    key_retry: "再試行",
    key_new_qr: "新しいQR",
    key_rescan: "再読取",
    key_other_method: "別の支払い方法",
    key_customer_pays: "客:支払う",
    key_customer_fails: "客:残高不足",
    key_customer_shows_code: "客:コード提示",
    key_refresh: "更新",

    col_paid_with: "支払手段",

    drawer_menu: "ドロワー・現金",
    drawer_float: "釣銭準備金",
    drawer_paid_in: "入金",
    drawer_paid_out: "出金",
    drawer_count: "現金精算",
    drawer_amount: "金額",
    drawer_reason: "理由",
    drawer_denomination: "金種",
    drawer_pieces: "枚数",
    drawer_recorded: "記録しました",
    drawer_opened: "ドロワーを開けました",
    drawer_not_opened: "ドロワーが開きませんでした。鍵で開けてください（記録は済んでいます）",
    drawer_pin_prompt: "責任者暗証番号: ",
    drawer_count_hint: "↑↓ 金種  数字 枚数  Enter 記録・印刷",
    drawer_saving: "記録しています…",
    drawer_no_day: "営業日が開いていません",
    title_cash: "現金",
    cash_received: "お預かり",
    cash_change: "お釣り",
    cash_left_to_pay: "お支払い残額",
    cash_prompt: "お預かり金額を入力（Enterのみで丁度）",
    cash_exact: "丁度",
    cash_recording: "記録中…",
    key_amount: "金額",
    key_quick: "早押し",
    key_part: "一部の金額",
    part_prompt: "次の支払いで払う金額",
    part_next: "次の支払い",
    paid_so_far: "支払い済み",
    leave_question: "一部支払い済みです。続けて支払いますか、支払い済みの分を返金しますか？",
    leave_quit_note: "もう一度 Ctrl-C で終了します（この会計は次回起動時に表示されます）",
    key_go_on: "続けて支払う",
    key_give_back: "返金して取消",
    giving_back: "支払い済みの分を返金中…",
    resumed_banner: "前回の終了時に一部支払い済みだった会計",
    cash_not_taken: "現金を記録できませんでした（受け取らないでください）",
    cash_drawer_not_opened: "ドロワーが開きません。鍵で開けてください",
    given_back: "支払い済みの分を返金しました",
    pay_rest_other_way: "残りを別の方法で支払う",
    report_rate_taxable: "対象",
    report_rate_tax: "内消費税",
    report_voided: "中止",
    report_discounts: "   値引",
    report_day_no: "No.",
    report_z_type: "締める営業日の番号を入力して Enter",
    report_z_mismatch: "番号が違います。表示された番号を入力してください",
    report_by_hour: "時間帯別 売上件数",
    key_department: "部門",
    no_such_department: "その部門キーは設定されていません",
    key_not_used: " は使えないキーです（入力されていません）",
    receipt_code_prompt: "レシート番号",
    quit_asks: "もう一度 Ctrl-C で終了します（会計中の内容は残りません）",
    quit_asks_qr: "もう一度 Ctrl-C でQRを取り消し、結果を記録してから終了します",
    quit_when_settled: "支払いの結果を記録してから終了します（もう一度 Ctrl-C ですぐ終了）",
    bad_discount: "値引きは1〜99%か、小計より少ない金額で",
    key_discount: "値引",
    discount_label: "値引",
    discount_reason: "値引の理由",
    check_catalog: "商品マスタ",
    catalog_products: "件の商品",
    catalog_rows_left_out: "行を除外",
    store_catalog_version: "店舗の版",
    hint_catalog: "[sale] catalog のファイルを確認してください（列: jan,name,unit_price,tax_rate。Excel では「CSV UTF-8」か「CSV」で保存）",
    hint_catalog_rows: "除外された行を直すと、その商品も読み込まれます",
    check_store: "店舗情報 ([store])",
    hint_store: "regi.toml の [store] に name と registration_number (T+13桁) を設定してください。適格請求書発行事業者でなければ invoice_issuer = false",
    detail_not_invoice_issuer: "適格請求書発行事業者ではない (invoice_issuer = false): 領収書として印刷",
    check_data_dir: "データディレクトリ",
    detail_data_dir_new: "まだありません (初回起動時に 0700 で作成)",
    check_disk: "ディスクの空き",
    hint_disk: "ディスクを空けてください (古いログやバックアップを移す)。空きがないと販売を記録できません",
    detail_training_sandbox: "練習モード: 内蔵の練習用サーバーを使います",
    training_why_asked: "--training で起動",
    training_why_no_credentials: "API認証情報が未設定",
    label_topup_cancelled: "チャージ取消",
    scanner_wedge_works: "キーボード入力のスキャン (ウェッジ) で読み取っています",
    hint_scanner_usb: "USB で直接読むには、スキャナーの接続と udev ルール (assets/udev) を確認し、regi scan-test で試してください",
    check_mode: "モード",
    return_title: "返品する商品と数量を選んでください",
    return_col_sold: "販売",
    return_col_returned: "返品済",
    return_col_back: "返品",
    return_amount: "返金額",
    return_via: "返金方法",
    return_nothing: "返品する商品を選んでください（Space / + / 数字）",
    return_confirm: "この内容で返品・返金します",
    key_pick_qty: "数量",
    key_refund_all: "全額返金",
    key_return: "返品",
    key_find: "検索",
    key_find_by: "番号/金額/日時",
    find_by_no: "レシート番号",
    find_by_amount: "金額",
    find_by_time: "日時（例 11/20 10:30）",
    find_bad: "レシート番号・金額・日時として読めません",
    find_none: "該当する取引はありません（全営業日）",
    found_title: "検索結果（Esc で本日の取引）",
    title_found: "取引の検索（全営業日）",
    unknown_jan_prompt: "未登録",
    unknown_jan_price: "価格",
    unknown_jan_save: "+マスタ登録",
    key_save_product: "マスタ登録",
    key_leave_out: "取り消す",
    price_needs_department: "部門キー（/ と 1〜9）を押してください：税率が決まります",
    product_saved: "商品マスタに登録しました",
    product_not_saved: "商品マスタに登録できませんでした（この会計には入っています）",
    product_goes_to_the_store_catalog: "店舗の商品マスタは regi store catalog push で更新します",
    key_refund_slip: "返金票",
};

pub static EN: Strings = Strings {
    lang: Lang::En,
    app_name: "regi",
    training_banner: "TRAINING MODE - no real payments are made",

    label_paid: "[PAID]",
    label_failed: "[FAILED]",
    label_checking: "[CHECKING]",
    label_unknown: "[UNKNOWN]",
    label_cancelled: "[CANCELLED]",
    label_refunded: "[REFUNDED]",
    label_held: "[HELD]",
    label_partly_paid: "[PART PAID]",
    title_tabs: "Tabs",
    key_tabs: "Tabs",
    key_close_tab: "Close and bill",
    key_statement: "Statement",
    key_charge: "Charge to this tab",
    tabs_loading: "Reading the tabs…",
    tabs_empty: "No tabs",
    tabs_none_open: "No open tab to charge (open one with F2 on the tabs screen)",
    tabs_filter: "Filter",
    col_label: "Label",
    col_card: "Card",
    col_charges: "Sales",
    col_until: "Until",
    tab_state_opening: "[OPENING]",
    tab_state_open: "[OPEN]",
    tab_state_expired: "[EXPIRED]",
    tab_state_closing: "[BILLING]",
    tab_state_closed: "[CLOSED]",
    tab_state_failed: "[REFUSED]",
    tab_total: "Total",
    tab_no_charges: "Nothing charged yet",
    tab_close_confirm: "The tab will be closed and its card billed",
    tab_closing: "Billing…",
    tab_billed: "card billed",
    tab_unknown: "The bill's result is not known yet; it is recorded and asked again (same key) on the next start",
    tab_not_billed: "Nothing was billed",
    key_open_tab: "New tab",
    tab_scan_code: "Scan the code the customer's app shows",
    tab_reading: "Reading the customer…",
    tab_choose_card: "Choose the card for the tab",
    tab_label_prompt: "Label (room, table, name)",
    tab_days_prompt: "Days (1 to 30; empty: today only)",
    tab_open_confirm: "A tab will be opened on this card",
    tab_opening: "Opening…",
    tab_opened: "tab opened",
    tab_no_card: "The customer has no verified card; cards are added in their app, not at the register",
    tab_days_range: "Days are 1 to 30",
    held_message: "Payment held (not taken yet)",
    held_next: "When the order is handed over, capture it from the history (F6/C). The receipt prints then",
    key_capture: "Capture",
    capture_confirm: "The held payment will be captured",
    capture_amount_prompt: "Amount to capture (empty: all)",
    capture_in_progress: "Capturing…",
    capture_unknown: "The capture's result is not known yet; it is recorded and asked again for the same amount",
    capture_still_held: "Nothing was taken; the payment is still held",
    capture_released: "given back to the customer",
    held_amount: "Held",
    refund_amount_prompt: "Amount to refund (empty: all that is left)",
    refunded_so_far: "Refunded so far",
    label_training: "[TRAINING]",
    label_expired: "[EXPIRED]",
    label_open: "[OPEN]",
    label_ok: "[OK]",
    label_ng: "[NG]",
    label_warn: "[WARN]",

    title_sale: "Sale",
    title_topup: "Top-up",
    cart_empty: "Scan products or type an amount",
    col_item: "Item",
    col_qty: "Qty",
    col_price: "Price",
    manual_amount: "Manual amount",
    subtotal_10: "10% items",
    subtotal_8: "8% items (reduced)",
    tax_included: "incl. tax",
    total: "Total",
    topup_amount: "Top-up amount",
    input_label: "Input",
    unknown_product: "This product is not registered",
    nothing_to_pay: "There is nothing to pay",
    amount_too_large: "The amount is too large",

    title_pay_method: "Payment method",
    method_merchant_qr: "Customer scans the QR on screen",
    method_customer_code: "Scan the customer's code",
    method_hosted_page: "Customer opens the payment page from the QR",
    method_qr_short: "QR",
    method_page_short: "Page",
    method_code_short: "Code",
    method_tab_short: "Tab",
    method_tab: "Charge to the customer's tab",
    method_cash_short: "Cash",
    method_cash: "Cash handed over",

    title_qr_wait: "QR payment",
    qr_pay_with: "Paying with:",
    qr_instruction: "Ask the customer to scan this code with their app",
    qr_page_instruction: "Ask the customer to scan this code with their phone and pay on the page it opens",
    qr_creating: "Creating the QR code...",
    qr_too_small: "The window is too small to show the QR code. Please enlarge it.",
    status_waiting: "Waiting for payment",
    status_cancelling: "Cancelling...",

    title_scan_wait: "Scan code",
    scan_instruction: "Scan the code shown in the customer's app",
    scan_typed: "Typed",
    scan_not_a_payment_code: "That is not a payment code. Please scan again.",
    charging: "Charging...",

    title_result: "Result",
    paid_message: "Payment complete",
    topped_up_message: "Top-up complete",
    checking_message: "Checking the payment result. Please wait.",
    still_checking: "Please wait until the check finishes",
    please_wait: "Please wait",
    cancelled_message: "Cancelled",
    paid_before_cancel: "The customer had already paid before the cancel",
    transaction_id: "Transaction",
    customer: "Customer",
    amount: "Amount",
    next_step: "Next",

    title_history: "Today's sales",
    history_empty: "No sales today",
    history_loading: "Loading...",
    col_time: "Time",
    col_kind: "Kind",
    col_amount: "Amount",
    col_status: "Status",
    kind_payment: "Payment",
    kind_topup: "Top-up",
    title_detail: "Sale detail",
    refund_pin_prompt: "Enter the manager PIN",
    refund_confirm: "This sale will be refunded",
    refund_wrong_pin: "Wrong PIN",
    pin_checking: "Checking the PIN…",
    refund_in_progress: "Refunding...",
    refund_done: "Refunded",
    reprint_sent: "Receipt reprinted",
    printer_unavailable: "The printer is not available",

    title_reports: "Reports",
    report_x: "X (read)",
    report_z: "Z (close)",
    report_z_confirm: "A Z report closes today's totals. Continue?",
    report_count: "Count",
    report_sales: "Sales",
    report_refunds: "Refunds",
    report_topups: "Top-ups",
    report_net: "Net",
    report_loading: "Totalling...",
    report_z_done: "Z report recorded",

    title_status: "Status",
    api_checking: "Checking the connection...",
    recovery: "Unfinished payments at start",
    recovery_none: "none",
    printer: "Printer",
    scanner: "Scanner",
    device_missing: "not found",
    config_summary: "Configuration",

    not_a_product_code: "That is not a product barcode",
    not_a_receipt_code: "That is not a receipt code",
    bad_quantity: "Quantity must be 1 to 999 (manual lines stay at 1)",
    refund_unknown: "The refund's result is not known yet; it is recorded and will be checked automatically",
    unresolved_message: "The payment result could not be confirmed",
    unresolved_next: "Ask the customer to check their app. The attempt is recorded and will be checked again automatically",
    unrecorded_message: "The payment result cannot be recorded",
    unrecorded_do_not_retry: "Do not take this payment again: the customer may have been charged",
    unrecorded_next_disk_full: "The disk is full. Free some space: regi then records the payment and shows its result by itself",
    unrecorded_next_unwritable: "The journal cannot be written. Once it can, regi records the payment and shows its result by itself",
    report_nothing: "No sales yet",
    report_attempts: "Failed/exp./cancel",
    receipt_no: "Receipt",

    check_config: "Configuration file",
    check_secret_file: "Permissions of files holding secrets",
    detail_owner_only: "readable by its owner only",
    detail_config_default: "no file (defaults)",
    hint_config: "Fix the key named above (config/regi.example.toml documents every key)",
    hint_printer: "Check the printer's power and cable and [printer] target in regi.toml, then try regi print-test",
    hint_scanner: "Check the scanner's cable and [scanner] in regi.toml, then try regi scan-test",
    check_drawer: "Cash drawer",
    detail_drawer_printer: "through the receipt printer (ESC p)",
    detail_drawer_none: "none",
    drawer_not_writable: "not writable",
    hint_drawer: "Check the drawer's cable and [drawer] port in regi.toml (serial ports are writable by the dialout group)",
    detail_missing: "not set",
    detail_set: "set",
    check_manager_pin: "Manager PIN",
    detail_pin_hashed: "stored as an argon2id hash",
    detail_pin_plain: "stored as plain text in regi.toml",
    hint_pin_set: "Run `regi pin set` to store it as a hash instead",
    pin_new_prompt: "New manager PIN (4 to 8 digits): ",
    pin_again_prompt: "Once more: ",
    pin_invalid: "The PIN must be 4 to 8 digits",
    pin_mismatch: "The two PINs differ",
    pin_set_done: "Manager PIN set (stored as a hash)",
    pin_cleared: "Manager PIN removed (refunds no longer ask for one)",
    pin_was_not_set: "No manager PIN was set",

    recovering: "Checking payments left unfinished by the last run...",
    cannot_start: "Cannot start",

    error_prefix: "Error",

    key_pay: "Pay",
    key_back: "Back",
    key_cancel: "Cancel",
    key_delete_line: "Delete line",
    key_qty: "Qty",
    key_clear: "Clear",
    key_topup: "Top-up",
    key_sale: "Sale",
    key_history: "History",
    key_reports: "Reports",
    key_status: "Status",
    key_quit: "Quit",
    key_select: "Select",
    key_detail: "Detail",
    key_refund: "Refund",
    key_reprint: "Reprint",
    key_receipt_preview: "Receipt preview",
    key_scroll: "Scroll",
    title_preview: "Receipt preview (training)",
    preview_not_printed: "Training: not printed",
    key_confirm: "Confirm",
    key_new_sale: "Next sale",
    key_retry: "Retry",
    key_new_qr: "New QR",
    key_rescan: "Rescan",
    key_other_method: "Other method",
    key_customer_pays: "Cust. pays",
    key_customer_fails: "Cust. no funds",
    key_customer_shows_code: "Cust. code",
    key_refresh: "Refresh",

    col_paid_with: "Paid with",
    drawer_menu: "Drawer and cash",
    drawer_float: "Opening float",
    drawer_paid_in: "Paid in",
    drawer_paid_out: "Paid out",
    drawer_count: "Cash count",
    drawer_amount: "Amount",
    drawer_reason: "Reason",
    drawer_denomination: "Denomination",
    drawer_pieces: "Pieces",
    drawer_recorded: "Recorded",
    drawer_opened: "The drawer is open",
    drawer_not_opened: "The drawer did not open: open it with its key (the movement is recorded)",
    drawer_pin_prompt: "Manager PIN: ",
    drawer_count_hint: "↑↓ denomination  digits pieces  Enter record and print",
    drawer_saving: "Recording…",
    drawer_no_day: "No business day is open",

    title_cash: "Cash",
    cash_received: "Received",
    cash_change: "Change",
    cash_left_to_pay: "Left to pay",
    cash_prompt: "Type the amount received (Enter alone: exact)",
    cash_exact: "Exact",
    cash_recording: "Recording…",
    key_amount: "Amount",
    key_quick: "Quick",
    key_part: "Pay part",
    part_prompt: "Amount the next way to pay covers",
    part_next: "Next tender pays",
    paid_so_far: "Paid so far",
    leave_question: "Part of this sale is paid. Go on paying, or give the paid tenders back?",
    leave_quit_note: "Ctrl-C again quits (this sale comes back at the next start)",
    key_go_on: "Go on paying",
    key_give_back: "Give back",
    giving_back: "Giving the paid tenders back…",
    resumed_banner: "A sale left partly paid when regi last stopped",
    cash_not_taken: "Cash not recorded (do not take it)",
    cash_drawer_not_opened: "The drawer did not open; open it by key",
    given_back: "The paid tenders were given back",
    pay_rest_other_way: "Pay the rest another way",
    report_rate_taxable: "items",
    report_rate_tax: "incl. tax",
    report_voided: "Voided",
    report_discounts: "   Discounts",
    report_day_no: "No.",
    report_z_type: "Type the number shown, then Enter",
    report_z_mismatch: "Not the number shown: type the number above",
    report_by_hour: "Sales per hour (count)",
    key_department: "dept",
    no_such_department: "No department on that key",
    key_not_used: " is not a key of this screen: nothing was typed",
    receipt_code_prompt: "Receipt code",
    quit_asks: "Ctrl-C again to quit (the sale on the till is dropped)",
    quit_asks_qr: "Ctrl-C again withdraws the QR, records how it ended, then quits",
    quit_when_settled: "Quitting once the payment's end is recorded (Ctrl-C again: now)",
    bad_discount: "A discount is 1-99 % or less than the subtotal",
    key_discount: "discount",
    discount_label: "Discount",
    discount_reason: "Discount reason",
    check_catalog: "Catalog",
    catalog_products: "products",
    catalog_rows_left_out: "rows left out",
    store_catalog_version: "store version",
    hint_catalog: "Check the [sale] catalog file (columns jan,name,unit_price,tax_rate; from Excel save as \"CSV UTF-8\" or \"CSV\")",
    hint_catalog_rows: "Fix the rows left out to sell those products too",
    check_store: "Store on receipts ([store])",
    hint_store: "Set name and registration_number (T + 13 digits) in [store] of regi.toml; a store that is not a qualified invoice issuer sets invoice_issuer = false",
    detail_not_invoice_issuer: "not a qualified invoice issuer (invoice_issuer = false): receipts print as 領収書",
    check_data_dir: "Data directory",
    detail_data_dir_new: "not there yet (made with mode 0700 at the first start)",
    check_disk: "Free disk",
    hint_disk: "Free some disk (move old logs or backups away): without room no sale can be recorded",
    detail_training_sandbox: "training: the built-in sandbox is used",
    training_why_asked: "started with --training",
    training_why_no_credentials: "no API credentials are set",
    label_topup_cancelled: "[REVERSED]",
    scanner_wedge_works: "scans typed as keystrokes (keyboard wedge) are read",
    hint_scanner_usb: "To read the scanner over USB directly, check its cable and the udev rule (assets/udev), then try regi scan-test",
    check_mode: "Mode",
    return_title: "Return: pick the lines and how many",
    return_col_sold: "sold",
    return_col_returned: "returned",
    return_col_back: "back",
    return_amount: "Refund",
    return_via: "Given back",
    return_nothing: "Pick a line first (Space, + or a digit)",
    return_confirm: "Return these and give the money back",
    key_pick_qty: "qty",
    key_refund_all: "refund all",
    key_return: "return",
    key_find: "find",
    key_find_by: "No./amount/time",
    find_by_no: "Receipt No.",
    find_by_amount: "Amount",
    find_by_time: "Date/time (e.g. 11/20 10:30)",
    find_bad: "Not a receipt No., an amount or a date/time",
    find_none: "No sale of any day matches",
    found_title: "Found (Esc: today's sales)",
    title_found: "Sales of any day",
    unknown_jan_prompt: "New",
    unknown_jan_price: "price",
    unknown_jan_save: "+catalog",
    key_save_product: "save to catalog",
    key_leave_out: "leave it out",
    price_needs_department: "Press / and a department key (1-9): it sets the tax rate",
    product_saved: "Saved to the catalog",
    product_not_saved: "Not saved to the catalog (it stays in this sale)",
    product_goes_to_the_store_catalog: "The store's catalog is changed with regi store catalog push",
    key_refund_slip: "refund slip",
};

impl Strings {
    /// One tax rate's part of a return: `8%対象 ¥450（内消費税 ¥33）`.
    pub fn return_rate(&self, percent: i64, amount: Yen, tax: Yen) -> String {
        match self.lang {
            Lang::Ja => format!("{percent}%対象 {amount}（内消費税 {tax}）"),
            Lang::En => format!("{percent}% items {amount} (tax {tax} incl.)"),
        }
    }

    /// A part of a payment given back from the drawer: its provider refunds only whole payments.
    pub fn return_cash_back(&self, provider: &str) -> String {
        match self.lang {
            Lang::Ja => format!("現金（{provider} は全額返金のみのため）"),
            Lang::En => format!("cash from the drawer ({provider} refunds only whole payments)"),
        }
    }

    /// The scanner source in use, as configured (`[scanner] source`).
    pub fn scanner_source(&self, kind: regi_scanner::SourceKind) -> String {
        let name = format!("{kind:?}").to_lowercase();
        match self.lang {
            Lang::Ja => format!("読み取り方式 {name}"),
            Lang::En => format!("source {name}"),
        }
    }

    /// A scanner source's state in the reader's language (the library words it in English).
    pub fn scanner_state(&self, state: &regi_scanner::SourceState) -> String {
        use regi_scanner::SourceState as S;
        match self.lang {
            Lang::En => state.to_string(),
            Lang::Ja => match state {
                S::NotFound { .. } => "スキャナーが見つかりません (接続を待っています)".into(),
                S::Connected { device } => format!("接続済み: {device}"),
                S::Disconnected { device, .. } => {
                    format!("切断されました: {device} (再接続を待っています)")
                }
                S::Reconnecting { device } => format!("再接続中: {device}"),
                S::PermissionDenied { device, .. } => {
                    format!("{device} を使う権限がありません (udev ルールを確認してください)")
                }
                S::Failed { .. } => "USB を使えません (再試行しています)".into(),
                S::Ended => "入力が終わりました".into(),
            },
        }
    }

    /// The terminal is too small for the QR and its side panel: the size it needs.
    pub fn qr_needs_size(&self, cols: u16, rows: u16) -> String {
        match self.lang {
            Lang::Ja => format!(
                "{} (必要な大きさ: 横 {cols} × 縦 {rows} 文字以上)",
                self.qr_too_small
            ),
            Lang::En => format!(
                "{} (it needs at least {cols}×{rows} characters)",
                self.qr_too_small
            ),
        }
    }

    /// The `[store]` keys live selling still needs.
    pub fn store_missing(&self, keys: &str) -> String {
        match self.lang {
            Lang::Ja => format!("未設定: {keys} (適格簡易請求書に必要です)"),
            Lang::En => format!("not set: {keys} (a qualified simplified invoice needs them)"),
        }
    }

    /// A registration number whose check digit is wrong.
    pub fn registration_check_digit(&self, number: &str, expected: u8) -> String {
        match self.lang {
            Lang::Ja => format!(
                "登録番号 {number} のチェックデジットが違います (先頭の数字は {expected} のはず)"
            ),
            Lang::En => format!(
                "registration number {number} has a wrong check digit (its first digit should be {expected})"
            ),
        }
    }

    /// A configuration error found in a Pokepay `config.ini`: the fix is in that file.
    pub fn hint_config_ini(&self, path: &str) -> String {
        match self.lang {
            Lang::Ja => format!("{path} の指摘された項目を直してください (契約時に発行された値)"),
            Lang::En => {
                format!("Fix the key named above in {path} (the values issued with the contract)")
            }
        }
    }

    /// A directory or file others can read, and the command that fixes it.
    pub fn hint_chmod_mode(&self, mode: &str, path: &str) -> String {
        match self.lang {
            Lang::Ja => format!("持ち主だけが使えるようにしてください: chmod {mode} {path}"),
            Lang::En => format!("Make it its owner's only: chmod {mode} {path}"),
        }
    }

    /// Free space left on the data directory's disk.
    pub fn disk_free(&self, mib: u64) -> String {
        match self.lang {
            Lang::Ja => format!("空き {mib} MiB"),
            Lang::En => format!("{mib} MiB free"),
        }
    }

    /// A catalog error (a row left out, a file refused) in the reader's language.
    pub fn catalog_error(&self, error: &regi_core::domain::CatalogError) -> String {
        match self.lang {
            Lang::Ja => error.message_ja(),
            Lang::En => error.to_string(),
        }
    }

    /// How many catalog rows were left out, and the first one's line and reason.
    pub fn catalog_left_out(&self, count: usize, first: &str) -> String {
        match self.lang {
            Lang::Ja => format!(
                "商品マスタ: {count} {} ({first})",
                self.catalog_rows_left_out
            ),
            Lang::En => format!("Catalog: {count} {} ({first})", self.catalog_rows_left_out),
        }
    }

    /// A tender paid part of the sale; the rest is paid another way.
    pub fn part_paid(&self, paid: Yen, remaining: Yen) -> String {
        match self.lang {
            Lang::Ja => format!("{paid} 支払い済み。残り {remaining} を別の方法でお支払いください"),
            Lang::En => format!("{paid} paid; {remaining} left to pay another way"),
        }
    }

    /// A typed part must be less than what remains (all of it needs no amount).
    pub fn part_out_of_range(&self, remaining: Yen) -> String {
        match self.lang {
            Lang::Ja => format!("金額は ¥1 以上、残額 {remaining} 未満で入力してください"),
            Lang::En => {
                format!("The amount must be at least ¥1 and less than the {remaining} left")
            }
        }
    }

    /// A tender's way to pay in a list of paid tenders: `現金`, `QR`, `コード`, `ツケ`.
    pub fn tender_short(&self, method: PaymentMethod) -> &'static str {
        match method {
            PaymentMethod::MerchantQr | PaymentMethod::HostedPage => self.method_qr_short,
            PaymentMethod::CustomerCode => self.method_code_short,
            PaymentMethod::Tab => self.method_tab_short,
            PaymentMethod::Cash => self.method_cash_short,
        }
    }

    /// How the customer pays with a listed way to pay, as the payment screen describes it.
    pub fn tender_method(&self, presentation: PaymentMethod) -> &'static str {
        match presentation {
            PaymentMethod::MerchantQr => self.method_merchant_qr,
            PaymentMethod::HostedPage => self.method_hosted_page,
            PaymentMethod::CustomerCode => self.method_customer_code,
            PaymentMethod::Tab => self.method_tab,
            PaymentMethod::Cash => self.method_cash,
        }
    }

    /// "Expires in 4:59" — the countdown on the QR wait screen.
    pub fn expires_in(&self, seconds: i64) -> String {
        let seconds = seconds.max(0);
        let clock = format!("{}:{:02}", seconds / 60, seconds % 60);
        match self.lang {
            Lang::Ja => format!("有効期限まで {clock}"),
            Lang::En => format!("Expires in {clock}"),
        }
    }

    /// "Too many wrong PINs. Try again in 0:27" — the PIN prompt while it refuses tries.
    pub fn pin_locked(&self, seconds: i64) -> String {
        let seconds = seconds.max(0);
        let clock = format!("{}:{:02}", seconds / 60, seconds % 60);
        match self.lang {
            Lang::Ja => format!("暗証番号の誤りが続いたため、あと {clock} 入力できません"),
            Lang::En => format!("Too many wrong PINs. Try again in {clock}"),
        }
    }

    pub fn items_count(&self, count: u32) -> String {
        match self.lang {
            Lang::Ja => format!("{count}点"),
            Lang::En if count == 1 => "1 item".to_string(),
            Lang::En => format!("{count} items"),
        }
    }

    pub fn error(&self, detail: &str) -> String {
        format!("{}: {detail}", self.error_prefix)
    }

    pub fn recovered(&self, resolved: usize, unresolved: usize) -> String {
        match self.lang {
            Lang::Ja => format!("確定 {resolved}件 / 未確定 {unresolved}件"),
            Lang::En => format!("{resolved} resolved, {unresolved} still open"),
        }
    }

    /// A file holding `what` (a client secret, a PIN) that other users can read.
    pub fn secret_file_readable(&self, what: &str, mode: u32) -> String {
        match self.lang {
            Lang::Ja => format!("{what} を含み、他のユーザーも読めます (モード {mode:04o})"),
            Lang::En => format!("holds {what} and other users can read it (mode {mode:04o})"),
        }
    }

    pub fn hint_chmod(&self, path: &str) -> String {
        match self.lang {
            Lang::Ja => format!("持ち主だけが読めるようにしてください: chmod 600 {path}"),
            Lang::En => format!("Make it readable by its owner only: chmod 600 {path}"),
        }
    }

    /// A sale of another till of the store, opened here from its receipt to be returned here.
    pub fn sold_at_other_till(&self, terminal: &str) -> String {
        match self.lang {
            Lang::Ja => format!("レジ {terminal} の会計（店舗の記録から。このレジで返品できます）"),
            Lang::En => {
                format!("Sold at till {terminal} (from the store's records; return it here)")
            }
        }
    }

    /// Why a scanned receipt opens no sale.
    pub fn receipt_not_found(&self, why: &ReceiptLookupError) -> String {
        match (self.lang, why) {
            (Lang::Ja, ReceiptLookupError::OtherTerminal { terminal }) => {
                format!("別のレジ ({terminal}) のレシートです。そのレジで操作してください")
            }
            (Lang::En, ReceiptLookupError::OtherTerminal { terminal }) => {
                format!("That receipt is from another till ({terminal}); use that till")
            }
            (Lang::Ja, ReceiptLookupError::Unknown { receipt_no }) => {
                format!("レシート番号 {receipt_no} の取引はこのレジの記録にありません")
            }
            (Lang::En, ReceiptLookupError::Unknown { receipt_no }) => {
                format!("No sale of this till has receipt number {receipt_no}")
            }
            (
                Lang::Ja,
                ReceiptLookupError::NotInStore {
                    terminal,
                    receipt_no,
                },
            ) => format!(
                "レジ {terminal} のレシート番号 {receipt_no} は店舗の記録にまだありません。\
                 そのレジの送信を待つか、そのレジで操作してください"
            ),
            (
                Lang::En,
                ReceiptLookupError::NotInStore {
                    terminal,
                    receipt_no,
                },
            ) => format!(
                "Receipt {receipt_no} of till {terminal} is not in the store's records yet; \
                 wait for that till to send it, or use that till"
            ),
            (Lang::Ja, ReceiptLookupError::ReturnedAt { terminal, at }) => {
                format!("レジ {terminal} のこの会計は、レジ {at} で返品・返金済みです")
            }
            (Lang::En, ReceiptLookupError::ReturnedAt { terminal, at }) => {
                format!("This sale of till {terminal} was already given back at till {at}")
            }
            (Lang::Ja, ReceiptLookupError::StoreUnreachable { terminal }) => format!(
                "別のレジ ({terminal}) のレシートですが、店舗のデータベースにつながりません。\
                 そのレジで操作してください"
            ),
            (Lang::En, ReceiptLookupError::StoreUnreachable { terminal }) => format!(
                "That receipt is from till {terminal} and the store's database does not \
                 answer; use that till"
            ),
            (_, ReceiptLookupError::Failed(detail)) => self.error(detail),
        }
    }

    pub fn over_limit(&self, max: Yen) -> String {
        match self.lang {
            Lang::Ja => format!("1回の上限 {max} を超えています"),
            Lang::En => format!("Over the limit of {max} per sale"),
        }
    }

    /// Plain words for a refused payment, and the clerk's next step.
    pub fn explain_failure(&self, reason: FailReason) -> Explanation {
        let (reason, next_step) = match (self.lang, reason) {
            (Lang::Ja, FailReason::InsufficientBalance) => (
                "お客様の残高が足りません",
                "チャージしていただくか、別の支払い方法をお願いします",
            ),
            (Lang::En, FailReason::InsufficientBalance) => (
                "The customer's balance is not enough",
                "Ask the customer to top up, or use another payment method",
            ),
            (Lang::Ja, FailReason::LimitExceeded) => {
                ("ご利用限度額を超えています", "別の支払い方法をお願いします")
            }
            (Lang::En, FailReason::LimitExceeded) => (
                "The customer's limit would be exceeded",
                "Use another payment method",
            ),
            (Lang::Ja, FailReason::TokenUsed) => (
                "このコードはすでに使われています",
                "お客様のアプリで新しいコードを表示して再読取してください",
            ),
            (Lang::En, FailReason::TokenUsed) => (
                "This code has already been used",
                "Ask for a fresh code in the app and rescan",
            ),
            (Lang::Ja, FailReason::TokenExpired) => (
                "コードの有効期限が切れています",
                "お客様のアプリで新しいコードを表示して再読取してください",
            ),
            (Lang::En, FailReason::TokenExpired) => (
                "The code has expired",
                "Ask for a fresh code in the app and rescan",
            ),
            (Lang::Ja, FailReason::TokenNotFound) => {
                ("コードを認識できません", "もう一度読み取ってください")
            }
            (Lang::En, FailReason::TokenNotFound) => {
                ("The code was not recognised", "Scan it again")
            }
            (Lang::Ja, FailReason::TrayUsed | FailReason::TrayCancelled) => (
                "このQRコードは使用済みです",
                "新しいQRコードを表示してください",
            ),
            (Lang::En, FailReason::TrayUsed | FailReason::TrayCancelled) => {
                ("This QR code was already used", "Show a new QR code")
            }
            (Lang::Ja, FailReason::TrayExpired) => (
                "QRコードの有効期限が切れました",
                "新しいQRコードを表示してください",
            ),
            (Lang::En, FailReason::TrayExpired) => ("The QR code expired", "Show a new QR code"),
            (_, FailReason::AlreadyRefunded) => return self.explain_refund_refusal(reason),
            (Lang::Ja, FailReason::RejectedOther) => (
                "決済できませんでした",
                "もう一度お試しいただくか、別の支払い方法をお願いします",
            ),
            (Lang::En, FailReason::RejectedOther) => (
                "The payment did not go through",
                "Try again, or use another payment method",
            ),
        };
        Explanation { reason, next_step }
    }

    /// What to do while a payment's outcome waits for the journal.
    pub fn unrecorded_next(&self, disk_full: bool) -> &'static str {
        if disk_full {
            self.unrecorded_next_disk_full
        } else {
            self.unrecorded_next_unwritable
        }
    }

    /// The journal cannot record the sale, so the payment was not started: nothing was charged.
    pub fn explain_journal_stopped(&self, disk_full: bool) -> Explanation {
        match (self.lang, disk_full) {
            (Lang::Ja, true) => Explanation {
                reason: "ディスクがいっぱいで記録できません (請求はされていません)",
                next_step: "空き容量を作ってから、もう一度お試しください。商品はそのまま残っています。記録済みの売上はすべて保存されています",
            },
            (Lang::Ja, false) => Explanation {
                reason: "ジャーナルに書き込めません (請求はされていません)",
                next_step: "データフォルダーの権限を確認してから、もう一度お試しください。商品はそのまま残っています",
            },
            (Lang::En, true) => Explanation {
                reason: "Disk full: the sale cannot be recorded (nothing was charged)",
                next_step: "Free some disk space, then try again. The items are kept, and every sale recorded so far is safe",
            },
            (Lang::En, false) => Explanation {
                reason: "The journal cannot be written (nothing was charged)",
                next_step: "Check the data folder's permissions, then try again. The items are kept",
            },
        }
    }

    /// The payment could not be started: nothing was charged.
    pub fn explain_not_started(&self) -> Explanation {
        match self.lang {
            Lang::Ja => Explanation {
                reason: "決済サーバーと通信できません (請求はされていません)",
                next_step: "ネットワークを確認して、もう一度お試しください",
            },
            Lang::En => Explanation {
                reason: "The payment server cannot be reached (nothing was charged)",
                next_step: "Check the network and try again",
            },
        }
    }

    /// A refund the provider refused.
    pub fn explain_refund_refusal(&self, reason: FailReason) -> Explanation {
        let already = reason == FailReason::AlreadyRefunded;
        match (self.lang, already) {
            (Lang::Ja, true) => Explanation {
                reason: "この取引はすでに返金済みです",
                next_step: "返金は不要です",
            },
            (Lang::En, true) => Explanation {
                reason: "This sale was already refunded",
                next_step: "No further refund is needed",
            },
            (Lang::Ja, false) => Explanation {
                reason: "返金できませんでした",
                next_step: "責任者に確認してください",
            },
            (Lang::En, false) => Explanation {
                reason: "The refund was refused",
                next_step: "Ask the manager",
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn countdown_clamps_at_zero() {
        assert_eq!(EN.expires_in(299), "Expires in 4:59");
        assert_eq!(EN.expires_in(-3), "Expires in 0:00");
        assert_eq!(JA.expires_in(61), "有効期限まで 1:01");
    }

    #[test]
    fn failures_say_what_to_do_next() {
        let balance = EN.explain_failure(FailReason::InsufficientBalance);
        assert!(balance.reason.contains("balance"));
        let used = JA.explain_failure(FailReason::TokenUsed);
        assert!(used.next_step.contains("再読取"));
        assert!(
            EN.explain_not_started()
                .reason
                .contains("nothing was charged")
        );
        assert!(
            JA.explain_refund_refusal(FailReason::AlreadyRefunded)
                .reason
                .contains("返金済")
        );
    }

    #[test]
    fn outcome_labels_differ_without_colour() {
        for s in [&JA, &EN] {
            let labels = [
                s.label_paid,
                s.label_failed,
                s.label_checking,
                s.label_cancelled,
                s.label_training,
            ];
            for (i, a) in labels.iter().enumerate() {
                for b in &labels[i + 1..] {
                    assert_ne!(a, b);
                }
            }
        }
    }

    #[test]
    fn a_journal_that_cannot_record_the_sale_is_explained_as_a_full_disk_not_a_network_fault() {
        let text = Lang::En.strings().explain_journal_stopped(true);
        assert!(text.reason.contains("Disk full") && text.reason.contains("nothing was charged"));
        let ja = Lang::Ja.strings().explain_journal_stopped(true);
        assert!(ja.reason.contains("ディスクがいっぱい"));
    }

    #[test]
    fn a_part_paid_names_what_was_paid_and_what_is_left_in_both_languages() {
        for lang in [Lang::Ja, Lang::En] {
            let text = lang.strings().part_paid(Yen(1_000), Yen(2_000));
            assert!(text.contains("¥1,000") && text.contains("¥2,000"), "{text}");
            let text = lang.strings().part_out_of_range(Yen(3_000));
            assert!(text.contains("¥3,000"), "{text}");
        }
    }
}
