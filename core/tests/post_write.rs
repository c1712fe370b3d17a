//! The QBO and Xero posts as the core's `json::write` writes them (the worker sends these bytes)
//! against serde_json over the same values' derives, which stay the oracle: byte for byte on every
//! fixture's documents and journal bodies, and again with every string replaced by awkward ones.
//! Each optional member must be seen present and absent, or the comparison proves less than it
//! says.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{awkward, cases, config_for};
use ledgerbridge_core::exporters::{
    qbo_customer, qbo_document, qbo_journal_body, sales_documents, xero_contact, xero_document,
    xero_journal_body, SalesDocument, Target,
};
use ledgerbridge_core::json::write::{self, WriteJson};
use ledgerbridge_core::model::{Address, Customer};
use ledgerbridge_core::platforms::customer_of;
use ledgerbridge_core::{map, Config, Entry};

const DOCUMENTS: &str = include_str!("../../tests/fixtures/documents.toml");

/// Both writers' text of `value`; the caller compares them.
fn same<T: WriteJson + serde::Serialize + ?Sized>(name: &str, value: &T) -> String {
    let want = serde_json::to_string(value).unwrap();
    assert_eq!(write::to_string(value), want, "{name}");
    want
}

/// Every fixture's documents for both targets, with the fixture's config and the documents setup.
fn documents() -> Vec<(String, Config, Vec<SalesDocument>, Target)> {
    let mut out = Vec::new();
    for (platform, case) in cases() {
        let input = std::fs::read(case.join("input.json")).unwrap();
        let mut config = config_for(&case);
        config.documents = Config::load(DOCUMENTS).unwrap().documents;
        let Ok(event) = platform.parse(&input) else {
            continue;
        };
        let customer = customer_of(platform, &input).unwrap();
        for target in [Target::Qbo, Target::Xero] {
            if let Ok(docs) = sales_documents(platform, &event, customer.as_ref(), &config, target)
            {
                out.push((case.display().to_string(), config.clone(), docs, target));
            }
        }
    }
    out
}

/// Writes every post of `docs` both ways; returns the texts, for counting the shapes seen.
fn posts(name: &str, config: &Config, docs: &[SalesDocument], target: Target) -> Vec<String> {
    let mut texts = Vec::new();
    for doc in docs {
        match target {
            Target::Qbo => {
                texts.push(same(name, &qbo_customer(&doc.contact)));
                texts.push(same(name, &qbo_document(doc, config).unwrap()));
            }
            Target::Xero => {
                texts.push(same(name, &xero_contact(&doc.contact)));
                let (post, payment) = xero_document(doc, config).unwrap();
                texts.push(same(name, &post));
                if let Some(payment) = payment {
                    texts.push(same(name, &payment));
                }
            }
        }
    }
    texts
}

#[test]
fn every_fixture_post_writes_as_serde_json_does() {
    let mut texts = Vec::new();
    for (name, config, docs, target) in documents() {
        texts.extend(posts(&name, &config, &docs, target));
    }
    assert!(texts.len() >= 200, "only {} posts", texts.len());
    let seen = |member: &str| texts.iter().filter(|t| t.contains(member)).count();
    for member in [
        "\"on_duplicate_name\"",
        "\"GlobalTaxCalculation\"",
        "\"DiscountLineDetail\"",
        "\"DepositToAccountRef\"",
        "\"PrimaryEmailAddr\"",
        "\"BillAddr\"",
        "\"DiscountAmount\"",
        "\"Addresses\"",
        "\"CreditNotes\"",
        "\"CreditNoteNumber\"",
        "\"Payments\"",
    ] {
        let n = seen(member);
        assert!(n > 0 && n < texts.len(), "{member}: in {n} posts");
    }
}

/// A customer with every field set to awkward text (no fixture has a `TaxNumber`), or (every
/// third) with none.
fn awkward_customer(i: &mut usize) -> Option<Customer> {
    if *i % 3 == 0 {
        *i += 1;
        return None;
    }
    Some(Customer {
        id: Some(awkward(i)),
        guest: false,
        name: Some(awkward(i)),
        company: Some(awkward(i)),
        email: Some(awkward(i)),
        billing_address: Some(Address {
            line1: Some(awkward(i)),
            line2: Some(awkward(i)),
            city: Some(awkward(i)),
            region: Some(awkward(i)),
            postal_code: Some(awkward(i)),
            country: Some(awkward(i)),
        }),
        tax_exempt: false,
        vat_number: Some(awkward(i)),
    })
}

#[test]
fn every_fixture_post_with_awkward_strings_writes_as_serde_json_does() {
    let mut i = 0;
    let mut compared = 0;
    for (name, mut config, mut docs, target) in documents() {
        config.documents.qbo.account = Some(awkward(&mut i));
        config.documents.xero.account = Some(awkward(&mut i));
        for doc in &mut docs {
            (doc.id, doc.number, doc.date) = (awkward(&mut i), awkward(&mut i), awkward(&mut i));
            let c = &mut doc.contact;
            (c.key, c.display_name) = (awkward(&mut i), awkward(&mut i));
            c.unique_name = awkward(&mut i);
            c.customer = awkward_customer(&mut i);
            for l in &mut doc.lines {
                (l.item, l.description) = (awkward(&mut i), awkward(&mut i));
                l.tax_code = awkward(&mut i);
            }
        }
        compared += posts(&name, &config, &docs, target).len();
    }
    assert!(compared >= 200, "only {compared} posts");
}

/// The fixture's entries and a config mapping each of their accounts to a QBO id and a Xero code.
fn journals() -> Vec<(String, Config, Vec<Entry>)> {
    let mut out = Vec::new();
    for (platform, case) in cases() {
        let input = std::fs::read(case.join("input.json")).unwrap();
        let mut config = config_for(&case);
        let entries = map(platform, &input, &config).unwrap().entries;
        for (i, line) in entries.iter().flat_map(|e| &e.lines).enumerate() {
            let code = format!("{}", 200 + i);
            let exports = &mut config.exports;
            exports
                .qbo
                .entry(line.account.clone())
                .or_insert(code.clone());
            exports.xero.entry(line.account.clone()).or_insert(code);
        }
        out.push((case.display().to_string(), config, entries));
    }
    assert!(out.len() >= 45, "the corpus went missing: {}", out.len());
    out
}

fn journal_bodies(name: &str, config: &Config, entries: &[Entry]) -> usize {
    for entry in entries {
        same(name, &qbo_journal_body(entry, config).unwrap());
    }
    same(name, &xero_journal_body(entries, config).unwrap());
    entries.len()
}

#[test]
fn every_fixture_journal_body_writes_as_serde_json_does() {
    let mut compared = 0;
    for (name, config, entries) in journals() {
        compared += journal_bodies(&name, &config, &entries);
    }
    assert!(compared >= 50, "only {compared} entries");
}

#[test]
fn every_fixture_journal_body_with_awkward_strings_writes_as_serde_json_does() {
    let mut i = 0;
    for (name, mut config, mut entries) in journals() {
        for e in &mut entries {
            (e.id, e.date, e.memo) = (awkward(&mut i), awkward(&mut i), awkward(&mut i));
            for l in &mut e.lines {
                let account = awkward(&mut i);
                config.exports.qbo.insert(account.clone(), awkward(&mut i));
                config.exports.xero.insert(account.clone(), awkward(&mut i));
                (l.account, l.why) = (account, awkward(&mut i));
            }
        }
        // An empty mapped value is refused as unmapped: give those a code.
        for v in config
            .exports
            .qbo
            .values_mut()
            .chain(config.exports.xero.values_mut())
        {
            if v.trim().is_empty() {
                v.push('x');
            }
        }
        journal_bodies(&name, &config, &entries);
    }
}
