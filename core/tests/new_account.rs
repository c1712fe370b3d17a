//! A Xero account made from a role's picker (issue #12): every body the core builds, for every
//! kind it offers, satisfies Xero's published `Account` schema (the `PUT /Accounts` request body).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "validators/openapi.rs"]
#[allow(dead_code)]
mod openapi;

use ledgerbridge_core::rules::{creatable, new_account_body, AccountClass, NewAccount};
use serde_json::Value;

#[test]
fn xero_account_bodies_match_the_openapi_account_schema() {
    let spec = openapi::Spec::load_subset("tests/validators/xero_documents.yaml", "Account");
    let classes = [
        AccountClass::Asset,
        AccountClass::Liability,
        AccountClass::Income,
        AccountClass::Expense,
    ];
    let kinds = creatable("xero", &classes);
    assert!(kinds.len() >= 8, "{kinds:?}");
    for kind in kinds {
        let new = NewAccount {
            role: "accounts.sales".into(),
            name: format!("{} for the shop", kind.label),
            kind: kind.kind.into(),
            subtype: None,
            code: Some("ABC1234567".into()),
        };
        let body: Value =
            serde_json::from_str(&new_account_body("xero", &classes, &new).unwrap()).unwrap();
        let errors = spec.validate("Account", &body);
        assert!(errors.is_empty(), "{}: {errors:#?}", kind.kind);
    }
}
