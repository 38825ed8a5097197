//! Runs the app's commands as tasks; every result comes back as a `Msg` on the loop's channel.

use std::sync::Arc;

use tokio::sync::mpsc::UnboundedSender;

use crate::runtime::ports::{PaymentEvents, Services};
use regi_core::app::screens::drawer::{DrawerDone, DrawerOpening, DrawerProblem, DrawerRequest};
use regi_core::app::{Command, Msg, SlipRequest, TenderOption};
use regi_core::records::MovementKind;
use regi_engine::Route;

pub struct EffectRunner<S> {
    services: Arc<S>,
    tx: UnboundedSender<Msg>,
}

impl<S: Services> EffectRunner<S> {
    pub fn new(services: Arc<S>, tx: UnboundedSender<Msg>) -> Self {
        Self { services, tx }
    }

    /// Starts `command`; never blocks the loop. `Quit` is the loop's business and ignored here.
    pub fn run(&self, command: Command) {
        let services = Arc::clone(&self.services);
        let tx = self.tx.clone();
        match command {
            Command::StartQr {
                attempt,
                checkout,
                tender,
                part,
            } => {
                let events = PaymentEvents::new(attempt, tx);
                let route = Route {
                    part,
                    ..tender.map(route_of).unwrap_or_default()
                };
                tokio::spawn(async move { services.run_qr(checkout, route, events).await });
            }
            Command::CancelQr { attempt } => {
                tokio::spawn(async move { services.cancel_qr(attempt).await });
            }
            Command::ChargeCode {
                attempt,
                code,
                checkout,
                provider,
                part,
            } => {
                let events = PaymentEvents::new(attempt, tx);
                let route = Route {
                    provider,
                    part,
                    ..Route::default()
                };
                tokio::spawn(async move {
                    services
                        .charge_code(code.into_string(), checkout, route, events)
                        .await
                });
            }
            Command::Capture {
                attempt,
                sale_id,
                amount,
            } => {
                tokio::spawn(async move {
                    let _ = tx.send(match services.capture(sale_id, amount).await {
                        Ok(result) => Msg::Capture { attempt, result },
                        Err(e) => Msg::TaskFailed(e.to_string()),
                    });
                });
            }
            Command::Refund {
                attempt,
                sale_id,
                amount,
            } => {
                tokio::spawn(async move {
                    let _ = tx.send(match services.refund(sale_id, amount).await {
                        Ok(result) => Msg::Refund { attempt, result },
                        Err(e) => Msg::TaskFailed(e.to_string()),
                    });
                });
            }
            Command::ReturnLines {
                attempt,
                sale_id,
                lines,
            } => {
                tokio::spawn(async move {
                    let _ = tx.send(match services.return_lines(sale_id, lines).await {
                        Ok(result) => Msg::Refund { attempt, result },
                        Err(e) => Msg::TaskFailed(e.to_string()),
                    });
                });
            }
            Command::VerifyPin {
                attempt,
                entered,
                purpose,
            } => {
                tokio::spawn(async move {
                    let verdict = services.verify_pin(entered, purpose).await;
                    let _ = tx.send(Msg::PinChecked {
                        attempt,
                        correct: verdict.correct,
                        at: verdict.at,
                    });
                });
            }
            Command::LoadTabs => {
                tokio::spawn(async move {
                    let tabs = services.tabs().await.map_err(|e| e.to_string());
                    let _ = tx.send(Msg::TabsLoaded(tabs));
                });
            }
            Command::FindTabCustomer { attempt, code } => {
                tokio::spawn(async move {
                    let result = services
                        .tab_customer(code.into_string())
                        .await
                        .map_err(|e| e.to_string());
                    let _ = tx.send(Msg::TabCustomerFound { attempt, result });
                });
            }
            Command::OpenTab {
                attempt,
                customer,
                card_id,
                label,
                days,
            } => {
                tokio::spawn(async move {
                    let result = services
                        .open_tab(customer, card_id, label, days)
                        .await
                        .map_err(|e| e.to_string());
                    let _ = tx.send(Msg::TabOpened { attempt, result });
                });
            }
            Command::PrintTabStatement { tab_id } => {
                tokio::spawn(async move {
                    let result = services
                        .print_tab_statement(tab_id)
                        .await
                        .map_err(|e| e.to_string());
                    let _ = tx.send(Msg::TabPrinted(result));
                });
            }
            Command::CloseTab { attempt, tab_id } => {
                tokio::spawn(async move {
                    let result = services.close_tab(tab_id).await.map_err(|e| e.to_string());
                    let _ = tx.send(Msg::TabClosed { attempt, result });
                });
            }
            Command::ChargeTab {
                attempt,
                checkout,
                tab_id,
                part,
            } => {
                let events = PaymentEvents::new(attempt, tx);
                tokio::spawn(
                    async move { services.charge_tab(checkout, tab_id, part, events).await },
                );
            }
            Command::TakeCash {
                attempt,
                checkout,
                received,
            } => {
                tokio::spawn(async move {
                    let result = services
                        .take_cash(checkout, received)
                        .await
                        .map_err(|e| e.to_string());
                    let _ = tx.send(Msg::CashTaken { attempt, result });
                });
            }
            // The app asks for it only once the cash is on record.
            Command::OpenDrawer => {
                tokio::spawn(async move {
                    let result = services.open_drawer().await.map_err(|e| e.to_string());
                    let _ = tx.send(Msg::DrawerOpened(result));
                });
            }
            // At once, not as a task: the payment command after it must find the sale.
            Command::AdoptSale { checkout, sale_id } => services.adopt_sale(checkout, sale_id),
            Command::LoadHistory { also } => {
                tokio::spawn(async move {
                    let history = services.history(also).await.map_err(|e| e.to_string());
                    let _ = tx.send(Msg::HistoryLoaded(history));
                });
            }
            Command::FindSales { query } => {
                tokio::spawn(async move {
                    let found = services.find_sales(query).await.map_err(|e| e.to_string());
                    let _ = tx.send(Msg::HistoryLoaded(found));
                });
            }
            Command::SaveProduct { product } => {
                tokio::spawn(async move {
                    let saved = services
                        .save_product(product)
                        .await
                        .map_err(|e| e.to_string());
                    let _ = tx.send(Msg::CatalogSaved(saved));
                });
            }
            Command::FindReceipt { code } => {
                tokio::spawn(async move {
                    let _ = tx.send(Msg::ReceiptFound(services.find_receipt(code).await));
                });
            }
            Command::LoadReport(kind) => {
                tokio::spawn(async move {
                    let report = services.report(kind).await.map_err(|e| e.to_string());
                    let _ = tx.send(Msg::ReportLoaded { kind, report });
                });
            }
            Command::PrintReport(report) => {
                tokio::spawn(async move {
                    let result = services
                        .print_report(report)
                        .await
                        .map_err(|e| e.to_string());
                    let _ = tx.send(Msg::ReportPrinted(result));
                });
            }
            Command::CheckStatus => {
                tokio::spawn(async move {
                    let _ = tx.send(Msg::StatusChecked(services.status().await));
                });
            }
            Command::Print { sale_id, slip } => {
                let shown = matches!(slip, SlipRequest::Reprint | SlipRequest::RefundReprint);
                tokio::spawn(async move {
                    let result = services
                        .print(sale_id, slip)
                        .await
                        .map_err(|e| e.to_string());
                    let _ = tx.send(Msg::Printed {
                        sale_id,
                        shown,
                        result,
                    });
                });
            }
            Command::TrainingPayQr { token } => {
                tokio::spawn(async move {
                    if let Err(e) = services.training_pay_qr(token).await {
                        let _ = tx.send(Msg::TaskFailed(e.to_string()));
                    }
                });
            }
            Command::TrainingFailQr { token } => {
                tokio::spawn(async move {
                    if let Err(e) = services.training_fail_qr(token).await {
                        let _ = tx.send(Msg::TaskFailed(e.to_string()));
                    }
                });
            }
            Command::TrainingPresentCode => {
                tokio::spawn(async move {
                    let _ = tx.send(match services.training_present_code().await {
                        Ok(code) => Msg::Scan(code.into()),
                        Err(e) => Msg::TaskFailed(e.to_string()),
                    });
                });
            }
            Command::TrainingPresentTabCode => {
                tokio::spawn(async move {
                    let _ = tx.send(match services.training_present_tab_code().await {
                        Ok(code) => Msg::Scan(code.into()),
                        Err(e) => Msg::TaskFailed(e.to_string()),
                    });
                });
            }
            Command::Quit => {}
            Command::SignIn { attempt, code, pin } => {
                tokio::spawn(async move {
                    let (result, at) = services.sign_in(code, pin).await;
                    let _ = tx.send(Msg::SignedIn {
                        attempt,
                        result,
                        at,
                    });
                });
            }
            Command::SignInByCard { attempt, card } => {
                tokio::spawn(async move {
                    let (result, at) = services.sign_in_by_card(card.into_string()).await;
                    let _ = tx.send(Msg::SignedIn {
                        attempt,
                        result,
                        at,
                    });
                });
            }
            Command::SignOut => {
                tokio::spawn(async move {
                    if let Err(e) = services.sign_out().await {
                        let _ = tx.send(Msg::TaskFailed(e));
                    }
                });
            }
            Command::VoidCart { draft, reason } => {
                tokio::spawn(async move {
                    let _ = tx.send(Msg::CartVoided(services.void_cart(draft, reason).await));
                });
            }
            Command::ParkCart(cart) => {
                tokio::spawn(async move {
                    let parked = services.park_cart(cart).await;
                    let _ = tx.send(Msg::CartParked(parked));
                });
            }
            Command::LoadParked => {
                tokio::spawn(async move {
                    let _ = tx.send(Msg::ParkedLoaded(services.parked_carts().await));
                });
            }
            Command::RecallCart { id } => {
                tokio::spawn(async move {
                    let _ = tx.send(Msg::CartRecalled(services.recall_cart(id).await));
                });
            }
            Command::LoadDrawer => {
                tokio::spawn(async move {
                    let _ = tx.send(Msg::DrawerLoaded(services.cash().await));
                });
            }
            Command::MoveDrawer { attempt, request } => {
                tokio::spawn(async move {
                    let result = move_drawer(services.as_ref(), request).await;
                    let _ = tx.send(Msg::DrawerMoved { attempt, result });
                });
            }
        }
    }
}

/// Journals a drawer movement, then opens the drawer for cash moved, or prints a count's slip.
/// What follows never undoes the movement: a drawer that stays shut or a slip not printed is
/// reported with it.
async fn move_drawer<S: Services>(
    services: &S,
    request: DrawerRequest,
) -> Result<DrawerDone, DrawerProblem> {
    let (movement, cash) = services.move_cash(request).await?;
    let (drawer, slip) = if movement.kind == MovementKind::Count {
        let slip = services
            .print_count(movement.clone())
            .await
            .map_err(|e| e.to_string());
        (DrawerOpening::NotAsked, Some(slip))
    } else {
        let drawer = match services.open_drawer().await {
            Ok(true) => DrawerOpening::Opened,
            Ok(false) => DrawerOpening::NotSent,
            Err(e) => DrawerOpening::Failed(e.to_string()),
        };
        (drawer, None)
    };
    Ok(DrawerDone {
        movement,
        cash,
        drawer,
        slip,
    })
}

/// Where the engine takes a payment the clerk chose: the option's provider and wallet.
fn route_of(tender: TenderOption) -> Route {
    Route {
        provider: Some(tender.provider),
        wallet: tender.wallet,
        // A provider the store configured to hold payments holds them on its own.
        hold: false,
        part: None,
    }
}
