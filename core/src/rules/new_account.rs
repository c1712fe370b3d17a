//! A missing account, created in the merchant's books from a role's picker: which kinds of
//! account the target may create for a role (only those of a class the role allows, as
//! `roles.rs` decides), the body of the create request, and the created account read back.
//!
//! QBO: `POST /v3/company/{realm}/account` with `Name`, `AccountType` and `AccountSubType`
//! (Finance.xsd enums; the sub-types offered are the ones round2-apis.md §4.2 lists).
//! Xero: `PUT /Accounts` with one `Account` (`Code` ≤ 10, `Name` ≤ 150, `Type`).

use super::chart::{answer, xero_chart, QboAccount, TargetAccount};
use super::roles::AccountClass::{self, Asset, Expense, Income, Liability};
use crate::error::{LedgerError, Result};
use crate::json::write::Obj;
use crate::json::{members, Others, Reader};
use serde::{Deserialize, Serialize};

/// One kind of account a target can create.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccountKind {
    /// QBO `AccountType`, Xero `Type`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// QBO `AccountSubType` (Xero has none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subtype: Option<&'static str>,
    pub class: AccountClass,
    pub label: &'static str,
}

const fn kind(
    kind: &'static str,
    subtype: Option<&'static str>,
    class: AccountClass,
    label: &'static str,
) -> AccountKind {
    AccountKind {
        kind,
        subtype,
        class,
        label,
    }
}

/// QBO kinds. Undeposited Funds is left out: a company has exactly one.
const QBO_KINDS: [AccountKind; 13] = [
    kind("Bank", Some("Checking"), Asset, "Bank account"),
    kind(
        "Other Current Asset",
        Some("OtherCurrentAssets"),
        Asset,
        "Other current asset",
    ),
    kind("Other Current Asset", Some("Inventory"), Asset, "Inventory"),
    kind(
        "Accounts Receivable",
        Some("AccountsReceivable"),
        Asset,
        "Accounts receivable",
    ),
    kind(
        "Other Current Liability",
        Some("OtherCurrentLiabilities"),
        Liability,
        "Other current liability",
    ),
    kind("Credit Card", Some("CreditCard"), Liability, "Credit card"),
    kind(
        "Income",
        Some("SalesOfProductIncome"),
        Income,
        "Sales of product income",
    ),
    kind(
        "Income",
        Some("OtherPrimaryIncome"),
        Income,
        "Other primary income",
    ),
    kind(
        "Income",
        Some("DiscountsRefundsGiven"),
        Income,
        "Discounts and refunds given",
    ),
    kind(
        "Cost of Goods Sold",
        Some("SuppliesMaterialsCogs"),
        Expense,
        "Cost of goods sold",
    ),
    kind(
        "Cost of Goods Sold",
        Some("ShippingFreightDeliveryCos"),
        Expense,
        "Shipping and delivery cost",
    ),
    kind("Expense", Some("BankCharges"), Expense, "Bank charges"),
    kind(
        "Expense",
        Some("CommissionsAndFees"),
        Expense,
        "Commissions and fees",
    ),
];

/// Xero kinds. `BANK` is left out: Xero wants a bank account number for it, which belongs to
/// Xero's own bank feed setup, not to a mapping screen.
const XERO_KINDS: [AccountKind; 9] = [
    kind("CURRENT", None, Asset, "Current asset"),
    kind("INVENTORY", None, Asset, "Inventory"),
    kind("CURRLIAB", None, Liability, "Current liability"),
    kind("REVENUE", None, Income, "Revenue"),
    kind("SALES", None, Income, "Sales"),
    kind("OTHERINCOME", None, Income, "Other income"),
    kind("DIRECTCOSTS", None, Expense, "Direct costs"),
    kind("EXPENSE", None, Expense, "Expense"),
    kind("OVERHEADS", None, Expense, "Overhead"),
];

/// Xero's spec says 150. QBO's 100 is Intuit's Account reference as commonly quoted, not in
/// round2-apis.md (unconfirmed); a longer name would only be refused by QBO itself.
const QBO_NAME_MAX: usize = 100;
const XERO_NAME_MAX: usize = 150;
const XERO_CODE_MAX: usize = 10;

/// The kinds of account `target` (`qbo`, `xero`) may create for a role of these classes.
pub fn creatable(target: &str, classes: &[AccountClass]) -> Vec<AccountKind> {
    let kinds: &[AccountKind] = match target {
        "qbo" => &QBO_KINDS,
        "xero" => &XERO_KINDS,
        _ => &[],
    };
    kinds
        .iter()
        .filter(|k| classes.contains(&k.class))
        .cloned()
        .collect()
}

/// What the page asks for: an account for the role at `role` (a config path, as `roles.rs`
/// names it). The worker reads it with [`NewAccount::from_json`]; the derive is the oracle its
/// tests hold that reader to.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewAccount {
    pub role: String,
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub subtype: Option<String>,
    /// Xero only (required there): the account code manual journals name it by.
    #[serde(default)]
    pub code: Option<String>,
}

impl NewAccount {
    const FIELDS: [&'static str; 5] = ["role", "name", "type", "subtype", "code"];

    /// The page's request, accepted and refused as the derive does: `role`, `name` and `type`
    /// required, `subtype` and `code` optional (`null` is none), an unknown or repeated member
    /// refused, only whitespace after the object; bytes that are not UTF-8 are `E_JSON`.
    pub fn from_json(bytes: &[u8]) -> Result<NewAccount> {
        let mut r = Reader::from_bytes(bytes)?;
        let mut text = [None, None, None];
        let (mut subtype, mut code) = (None, None);
        members(&mut r, &Self::FIELDS, Others::Refuse, &mut |r, i| {
            match i {
                3 => subtype = r.opt(Reader::string)?,
                4 => code = r.opt(Reader::string)?,
                _ => text[i] = Some(r.string()?),
            }
            Ok(())
        })?;
        let [role, name, kind] = text;
        let new = NewAccount {
            role: role.ok_or_else(|| r.missing("role"))?,
            name: name.ok_or_else(|| r.missing("name"))?,
            kind: kind.ok_or_else(|| r.missing("type"))?,
            subtype,
            code,
        };
        r.finish()?;
        Ok(new)
    }
}

fn refuse(path: &str, value: &str, reason: impl Into<String>) -> LedgerError {
    LedgerError::InvalidValue {
        path: path.to_string(),
        value: value.to_string(),
        reason: reason.into(),
    }
}

/// The JSON body creating `new` at `target`, for a role of `classes`; every refusal names the
/// field (`name`, `type`, `code`) the page shows it at.
pub fn new_account_body(
    target: &str,
    classes: &[AccountClass],
    new: &NewAccount,
) -> Result<String> {
    let kinds = creatable(target, classes);
    let chosen = kinds
        .iter()
        .find(|k| k.kind == new.kind && (target != "qbo" || k.subtype == new.subtype.as_deref()))
        .ok_or_else(|| {
            let offered: Vec<&str> = kinds.iter().map(|k| k.label).collect();
            refuse(
                "type",
                &new.kind,
                format!("this role takes one of: {}", offered.join(", ")),
            )
        })?;
    let name = new.name.trim();
    if name.is_empty() {
        return Err(refuse("name", &new.name, "give the account a name"));
    }
    let mut body = String::new();
    let mut obj = Obj::new(&mut body);
    // Members in name order, as serde_json's `json!` map wrote them.
    match target {
        "qbo" => {
            if name.chars().count() > QBO_NAME_MAX {
                return Err(refuse(
                    "name",
                    name,
                    format!("at most {QBO_NAME_MAX} characters"),
                ));
            }
            // A colon separates a sub-account from its parent in QBO's FullyQualifiedName (and
            // QBO refuses it in display names, round2-apis.md §4.2); a quote breaks its queries.
            if name.contains([':', '"']) {
                return Err(refuse("name", name, "no colon or double quote"));
            }
            obj.opt("AccountSubType", chosen.subtype)
                .str("AccountType", chosen.kind)
                .str("Name", name);
        }
        _ => {
            if name.chars().count() > XERO_NAME_MAX {
                return Err(refuse(
                    "name",
                    name,
                    format!("at most {XERO_NAME_MAX} characters"),
                ));
            }
            let code = new.code.as_deref().unwrap_or("").trim();
            if code.is_empty()
                || code.len() > XERO_CODE_MAX
                || !code.bytes().all(|b| b.is_ascii_alphanumeric())
            {
                return Err(refuse(
                    "code",
                    code,
                    format!("Xero needs a code of 1 to {XERO_CODE_MAX} letters or digits"),
                ));
            }
            obj.str("Code", code)
                .str("Name", name)
                .str("Type", chosen.kind);
        }
    }
    obj.end();
    Ok(body)
}

/// The account a create call made, read from the target's answer (QBO `{"Account": …}`, Xero
/// `{"Accounts": [ … ]}`), as the chart lists it.
pub fn created_account(target: &str, text: &str) -> Result<TargetAccount> {
    let account = match target {
        "qbo" => Some(qbo_created(text)?.into_target()),
        _ => xero_chart(text)?.into_iter().next(),
    };
    account.ok_or_else(|| LedgerError::MissingField {
        path: "Accounts[0].Code".into(),
    })
}

/// QBO's `{"Account": {…}, "time": …}`: the account is required, other members skipped.
fn qbo_created(text: &str) -> Result<QboAccount> {
    answer(text, |r| {
        let mut account = None;
        members(r, &["Account"], Others::Skip, &mut |r, _| {
            account = Some(QboAccount::read(r)?);
            Ok(())
        })?;
        account.ok_or_else(|| r.missing("Account"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn new(kind: &str, subtype: Option<&str>, name: &str, code: Option<&str>) -> NewAccount {
        NewAccount {
            role: "accounts.sales".into(),
            name: name.into(),
            kind: kind.into(),
            subtype: subtype.map(str::to_string),
            code: code.map(str::to_string),
        }
    }

    #[test]
    fn a_role_is_offered_only_kinds_of_its_classes() {
        let income: Vec<_> = creatable("qbo", &[Income])
            .iter()
            .map(|k| k.subtype)
            .collect();
        assert_eq!(
            income,
            [
                Some("SalesOfProductIncome"),
                Some("OtherPrimaryIncome"),
                Some("DiscountsRefundsGiven")
            ]
        );
        let clearing: Vec<_> = creatable("xero", &[Asset]).iter().map(|k| k.kind).collect();
        assert_eq!(clearing, ["CURRENT", "INVENTORY"]);
        assert!(creatable("xero", &[AccountClass::Equity]).is_empty());
        assert!(creatable("beancount", &[Income]).is_empty());
    }

    #[test]
    fn the_bodies_carry_the_documented_fields() {
        let qbo = new_account_body(
            "qbo",
            &[Income],
            &new("Income", Some("SalesOfProductIncome"), " Web Sales ", None),
        )
        .expect("valid");
        assert_eq!(
            qbo,
            r#"{"AccountSubType":"SalesOfProductIncome","AccountType":"Income","Name":"Web Sales"}"#
        );
        let xero = new_account_body(
            "xero",
            &[Liability],
            &new("CURRLIAB", None, "VAT due", Some("821")),
        )
        .expect("valid");
        assert_eq!(xero, r#"{"Code":"821","Name":"VAT due","Type":"CURRLIAB"}"#);
    }

    #[test]
    fn a_kind_outside_the_role_or_a_bad_name_or_code_is_refused_at_its_field() {
        let at = |target: &str, classes: &[AccountClass], n: NewAccount| {
            let e = new_account_body(target, classes, &n).unwrap_err();
            (e.code(), e.path().to_string())
        };
        // An income account for a clearing role.
        assert_eq!(
            at(
                "qbo",
                &[Asset],
                new("Income", Some("SalesOfProductIncome"), "X", None)
            ),
            ("E_INVALID_VALUE", "type".into())
        );
        assert_eq!(
            at("qbo", &[Income], new("Income", Some("Checking"), "X", None)).1,
            "type"
        );
        assert_eq!(
            at(
                "qbo",
                &[Income],
                new("Income", Some("SalesOfProductIncome"), "  ", None)
            )
            .1,
            "name"
        );
        assert_eq!(
            at(
                "qbo",
                &[Income],
                new("Income", Some("SalesOfProductIncome"), "Sales:Web", None)
            )
            .1,
            "name"
        );
        assert_eq!(
            at("xero", &[Income], new("REVENUE", None, "Web", None)).1,
            "code"
        );
        assert_eq!(
            at("xero", &[Income], new("REVENUE", None, "Web", Some("20 1"))).1,
            "code"
        );
        assert_eq!(
            at(
                "xero",
                &[Income],
                new("REVENUE", None, "Web", Some("12345678901"))
            )
            .1,
            "code"
        );
    }

    #[test]
    fn a_request_is_read_as_the_derive_reads_it() {
        let bodies = [
            r#"{"role":"accounts.sales","name":"Web","type":"Income","subtype":"SalesOfProductIncome"}"#,
            r#" { "code" : "821", "type" : "CURRLIAB", "name" : "VAT \"due\"", "role" : "r" } "#,
            r#"{"role":"r","name":"n","type":"t","subtype":null,"code":null}"#,
            r#"{"role":"r","name":"n"}"#,
            r#"{"role":"r","name":"n","type":"t","extra":1}"#,
            r#"{"role":"r","name":"n","type":"t","name":"again"}"#,
            r#"{"role":"r","name":7,"type":"t"}"#,
            r#"{"role":"r","name":"n","type":null}"#,
            r#"{"role":"r","name":"n","type":"t","code":["821"]}"#,
            r#"{"role":"r","name":"n","type":"t"} x"#,
            r#"{"role":"r","name":"n","type":"t""#,
            "",
            "null",
        ];
        crate::json::assert_reads_as_derive(&bodies, NewAccount::from_json);
        // The one known difference (json::Reader): serde's positional form of a struct.
        let positional = NewAccount::from_json(br#"["r","n","t"]"#).unwrap_err();
        assert_eq!(positional.code(), "E_INVALID_TYPE");
    }

    #[test]
    fn the_created_account_is_read_back_as_the_chart_lists_it() {
        let qbo = created_account(
            "qbo",
            r#"{"Account":{"Id":"120","Name":"Web Sales","AccountType":"Income","AccountSubType":"SalesOfProductIncome","Active":true},"time":"t"}"#,
        )
        .expect("valid");
        assert_eq!(
            (qbo.id.as_str(), qbo.class, qbo.ledger.as_deref()),
            ("120", Some(Income), Some("Income:Web-Sales"))
        );
        let xero = created_account(
            "xero",
            r#"{"Status":"OK","Accounts":[{"AccountID":"a","Code":"821","Name":"VAT due","Type":"CURRLIAB","Class":"LIABILITY","Status":"ACTIVE"}]}"#,
        )
        .expect("valid");
        assert_eq!(
            (xero.id.as_str(), xero.ledger.as_deref()),
            ("821", Some("Liabilities:VAT-Due"))
        );
        assert_eq!(
            created_account("xero", r#"{"Accounts":[]}"#)
                .unwrap_err()
                .code(),
            "E_MISSING_FIELD"
        );
    }
}
