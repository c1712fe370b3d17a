//! The chart answers' parts (accounts, roles, the kinds of account a role may create) written by
//! the core's [`json::write`](crate::json::write), for the worker's `/api/accounts` and setup
//! answers, which put them inside a `json!`-shaped object: members in name order, as
//! `serde_json::to_value` of the derives leaves them (its map is a `BTreeMap`). Same bytes as
//! that, so the worker's answers do not change; the tests below hold them to it.

use super::chart::{RoleChoice, TargetAccount};
use super::new_account::AccountKind;
use super::roles::{AccountClass, Role};
use crate::json::write::{Obj, WriteJson};

impl WriteJson for AccountClass {
    fn write_json(&self, out: &mut String) {
        let name = match self {
            AccountClass::Asset => "asset",
            AccountClass::Liability => "liability",
            AccountClass::Equity => "equity",
            AccountClass::Income => "income",
            AccountClass::Expense => "expense",
        };
        name.write_json(out);
    }
}

impl WriteJson for Option<AccountClass> {
    fn write_json(&self, out: &mut String) {
        match self {
            Some(class) => class.write_json(out),
            None => out.push_str("null"),
        }
    }
}

impl WriteJson for TargetAccount {
    fn write_json(&self, out: &mut String) {
        Obj::new(out)
            .val("class", &self.class)
            .str("id", &self.id)
            .opt("ledger", self.ledger.as_deref())
            .str("name", &self.name)
            .str("type", &self.kind)
            .end();
    }
}

impl WriteJson for AccountKind {
    fn write_json(&self, out: &mut String) {
        Obj::new(out)
            .val("class", &self.class)
            .str("label", self.label)
            .present("subtype", self.subtype)
            .str("type", self.kind)
            .end();
    }
}

impl WriteJson for Role {
    fn write_json(&self, out: &mut String) {
        Obj::new(out)
            .str("account", &self.account)
            .val("classes", &self.classes)
            .str("label", &self.label)
            .str("path", &self.path)
            .end();
    }
}

/// The role's members flattened in, as `#[serde(flatten)]` does, all in name order.
impl WriteJson for RoleChoice {
    fn write_json(&self, out: &mut String) {
        let role = &self.role;
        Obj::new(out)
            .str("account", &role.account)
            .val("allowed", &self.allowed)
            .val("classes", &role.classes)
            .val("creatable", &self.creatable)
            .str("label", &role.label)
            .opt("mapped", self.mapped.as_deref())
            .str("path", &role.path)
            .end();
    }

    fn size_hint(&self) -> usize {
        256
    }
}

#[cfg(test)]
mod tests {
    use super::super::{qbo_chart, xero_chart, Config};
    use crate::json::write::{to_string, WriteJson};

    /// What the worker's `json!` answer held: the derive through `serde_json::Value`.
    fn same<T: WriteJson + serde::Serialize + ?Sized>(value: &T) {
        let want = serde_json::to_value(value).expect("serializes").to_string();
        assert_eq!(to_string(value), want);
    }

    #[test]
    fn chart_answers_write_as_the_derives_through_a_value() {
        let qbo = qbo_chart(
            r#"{"QueryResponse":{"Account":[
            {"Id":"35","Name":"Checking \"main\"","AccountType":"Bank"},
            {"Id":"79","Name":"Sales","AccountType":"Income"},
            {"Id":"99","Name":"Estimates","AccountType":"Non-Posting"}]}}"#,
        )
        .expect("valid");
        let xero = xero_chart(
            r#"{"Accounts":[{"Code":"200","Name":"Sales","Type":"REVENUE","Class":"REVENUE"},
            {"Code":"820","Name":"GST","Type":"CURRLIAB"}]}"#,
        )
        .expect("valid");
        let config = Config::load("[exports.qbo]\n\"Income:Sales\" = \"79\"").expect("valid");
        for (target, chart) in [("qbo", &qbo), ("xero", &xero)] {
            same(chart);
            let roles = config.roles(&["shopify_payments", "paypal"], &["VAT 20%"]);
            same(&roles);
            let choices = config.role_choices(target, chart, &["shopify_payments"], &["GST"]);
            assert!(choices.iter().any(|c| c.mapped.is_some()) || target == "xero");
            assert!(choices.iter().any(|c| c.mapped.is_none()));
            same(&choices);
        }
    }
}
