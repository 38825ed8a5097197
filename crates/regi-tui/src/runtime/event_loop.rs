//! The loop: draw, wait for the next message (input, a task's result, the clock), update, run the
//! commands. Drawing and updating happen only here, on one task, so the app needs no locks.

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use ratatui::Terminal;
use ratatui::backend::Backend;
use tokio::sync::mpsc::{self, UnboundedReceiver, UnboundedSender};
use tokio::time::{Interval, MissedTickBehavior};

use crate::runtime::customer_feed::CustomerFeed;
use crate::runtime::effects::EffectRunner;
use crate::runtime::ports::Services;
use crate::ui::theme::Theme;
use regi_core::app::customer_view::customer_screen;
use regi_core::app::{App, Msg, update};

/// How often the clock ticks: countdowns show whole seconds.
pub const TICK: Duration = Duration::from_millis(250);

pub struct EventLoop<S> {
    app: App,
    theme: Theme,
    runner: EffectRunner<S>,
    tx: UnboundedSender<Msg>,
    rx: UnboundedReceiver<Msg>,
    tick: Interval,
    /// The customer display's socket, when the register serves one.
    customer: Option<CustomerFeed>,
}

impl<S: Services> EventLoop<S> {
    pub fn new(app: App, theme: Theme, services: Arc<S>) -> Self {
        let (tx, rx) = mpsc::unbounded_channel();
        let mut tick = tokio::time::interval(TICK);
        tick.set_missed_tick_behavior(MissedTickBehavior::Skip);
        Self {
            app,
            theme,
            runner: EffectRunner::new(services, tx.clone()),
            tx,
            rx,
            tick,
            customer: None,
        }
    }

    /// Mirrors the sale to customer displays through `feed` from now on.
    pub fn with_customer_feed(mut self, feed: CustomerFeed) -> Self {
        feed.publish(customer_screen(&self.app));
        self.customer = Some(feed);
        self
    }

    /// For input sources and signal handlers to feed the loop.
    pub fn sender(&self) -> UnboundedSender<Msg> {
        self.tx.clone()
    }

    pub fn app(&self) -> &App {
        &self.app
    }

    /// Applies one message and starts the commands it produced.
    pub fn handle(&mut self, msg: Msg) {
        // The clock changes nothing a customer sees: the display is not asked four times a second.
        let shown_changes = !matches!(msg, Msg::Tick(_));
        for command in update(&mut self.app, msg) {
            tracing::debug!(?command, "command");
            self.runner.run(command);
        }
        if let Some(feed) = self.customer.as_ref().filter(|_| shown_changes) {
            feed.publish(customer_screen(&self.app));
        }
    }

    pub async fn next_msg(&mut self) -> Msg {
        tokio::select! {
            Some(msg) = self.rx.recv() => msg,
            _ = self.tick.tick() => Msg::Tick(Utc::now()),
        }
    }

    pub fn draw<B: Backend>(&self, terminal: &mut Terminal<B>) -> Result<(), B::Error> {
        terminal
            .draw(|frame| crate::ui::render(&self.app, &self.theme, frame))
            .map(|_| ())
    }

    /// Runs until the app quits.
    pub async fn run<B: Backend>(&mut self, terminal: &mut Terminal<B>) -> Result<(), B::Error> {
        self.run_until(terminal, |app| app.quitting).await
    }

    /// Runs until `done` holds for the app (checked after every draw). Scripted sessions and tests
    /// use this to wait for a screen instead of sleeping.
    pub async fn run_until<B: Backend>(
        &mut self,
        terminal: &mut Terminal<B>,
        done: impl Fn(&App) -> bool,
    ) -> Result<(), B::Error> {
        loop {
            self.draw(terminal)?;
            if done(&self.app) || self.app.quitting {
                return Ok(());
            }
            let msg = self.next_msg().await;
            self.handle(msg);
        }
    }
}
