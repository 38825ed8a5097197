//! A migrated store database with terminals registered, and journals that sell into it.

use std::path::{Path, PathBuf};

use regi_core::domain::{AmountGuard, Cart, TaxPolicy, TaxRate, Yen};
use regi_journal::{Journal, SaleMeta};
use regi_store::StoreTarget;
use regi_testkit::postgres::PgCluster;
use tokio_postgres::{Client, NoTls};

pub const STORE: &str = "shop-1";
pub const DATABASE: &str = "regi_store";

pub struct Store {
    pub cluster: PgCluster,
}

impl Store {
    /// A cluster with the store database created and migrated.
    pub async fn migrated() -> Store {
        let cluster = PgCluster::start();
        cluster.create_database(DATABASE);
        let store = Store { cluster };
        let mut admin = store.admin().await;
        regi_store::migrate(&mut admin).await.unwrap();
        store
    }

    /// The superuser on the store database.
    pub async fn admin(&self) -> Client {
        connect(&self.cluster.superuser_url(DATABASE)).await
    }

    /// Creates the login role of terminal `id` and registers it; returns how it logs in.
    pub async fn terminal(&self, id: &str) -> StoreTarget {
        let role = format!("till_{id}");
        let password = format!("pw-of-{id}");
        let admin = self.admin().await;
        admin
            .batch_execute(&format!(
                "CREATE ROLE {role} LOGIN PASSWORD '{password}'; \
                 SELECT regi.add_terminal('{id}', '{STORE}', '{role}')"
            ))
            .await
            .unwrap();
        let file = self.cluster.write_secret(&format!("{role}.pw"), &password);
        StoreTarget::new(&self.cluster.url(&role, DATABASE), Some(&file), None).unwrap()
    }

    /// How many events of `terminal` the store holds, and whether they are 1..=n.
    pub async fn shipped(&self, terminal: &str) -> i64 {
        let admin = self.admin().await;
        let row = admin
            .query_one(
                "SELECT COUNT(*), COALESCE(MAX(seq), 0), COUNT(DISTINCT seq) \
                 FROM regi.events WHERE terminal_id = $1",
                &[&terminal],
            )
            .await
            .unwrap();
        let (count, max, distinct): (i64, i64, i64) = (row.get(0), row.get(1), row.get(2));
        assert_eq!(
            (count, distinct),
            (max, max),
            "events of {terminal} are 1..={max}"
        );
        count
    }
}

pub async fn connect(url: &str) -> Client {
    let (client, connection) = tokio_postgres::connect(url, NoTls).await.unwrap();
    tokio::spawn(connection);
    client
}

/// A till's journal in a directory of its own.
pub struct Till {
    pub dir: tempfile::TempDir,
    pub journal: Option<Journal>,
}

impl Till {
    pub fn new() -> Till {
        let dir = tempfile::tempdir().unwrap();
        let journal = Journal::open(&dir.path().join("journal.sqlite")).unwrap();
        Till {
            dir,
            journal: Some(journal),
        }
    }

    pub fn path(&self) -> PathBuf {
        self.dir.path().join("journal.sqlite")
    }

    pub fn journal(&mut self) -> &mut Journal {
        self.journal.as_mut().expect("journal open")
    }

    /// A ¥`yen` sale at 10 % paid in cash; its id.
    pub fn sell(&mut self, yen: i64) -> i64 {
        let journal = self.journal();
        let mut cart = Cart::new(TaxPolicy::default(), AmountGuard::new(Yen(1_000_000)));
        cart.add_manual(Yen(yen), TaxRate::Standard10, None)
            .unwrap();
        let sale = journal
            .create_sale(&cart.checkout().unwrap(), &SaleMeta::default())
            .unwrap()
            .sale_id;
        journal.record_cash_tender(sale, Yen(yen)).unwrap();
        sale
    }

    pub fn head(&self) -> i64 {
        Journal::open_read_only(&self.path())
            .unwrap()
            .outbox_head()
            .unwrap()
            .map_or(0, |h| h.0)
    }

    /// Closes the journal and copies its file to `to` (a backup taken at closing time).
    pub fn back_up(&mut self, to: &Path) {
        self.journal = None;
        std::fs::copy(self.path(), to).unwrap();
        self.journal = Some(Journal::open(&self.path()).unwrap());
    }

    /// Closes the journal and puts the backup in its place.
    pub fn restore(&mut self, from: &Path) {
        self.journal = None;
        for suffix in ["-wal", "-shm"] {
            let mut side = self.path().into_os_string();
            side.push(suffix);
            let _ = std::fs::remove_file(side);
        }
        std::fs::copy(from, self.path()).unwrap();
        self.journal = Some(Journal::open(&self.path()).unwrap());
    }
}
