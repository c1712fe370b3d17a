//! The merchant's own chart of accounts as a target reports it (QBO `Account` query, Xero
//! `GET Accounts`), and which of its accounts each role of a config may be mapped to.

use super::roles::{qbo_class, xero_class, AccountClass, Role};
use super::Config;
use crate::error::{LedgerError, Result};
use crate::json::{members, Others, Reader};
use serde::Serialize;

/// One account of a target's chart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TargetAccount {
    /// What an export references: QBO `Id` (`AccountRef.value`), Xero `Code` (`AccountCode`).
    pub id: String,
    pub name: String,
    /// The target's own type (`Other Current Asset`, `CURRLIAB`).
    #[serde(rename = "type")]
    pub kind: String,
    /// `None`: a type no role may use (QBO `Non-Posting`).
    pub class: Option<AccountClass>,
    /// The ledger account a role mapped to this one books to: the class's root and the target's
    /// name as one component (`Income:Sales-Of-Product-Income`), so entries read in the
    /// merchant's own words and `exports` ties the name to `id`.
    pub ledger: Option<String>,
}

pub(super) fn ledger_name(class: Option<AccountClass>, name: &str) -> Option<String> {
    let root = match class? {
        AccountClass::Asset => "Assets",
        AccountClass::Liability => "Liabilities",
        AccountClass::Equity => "Equity",
        AccountClass::Income => "Income",
        AccountClass::Expense => "Expenses",
    };
    Some(format!("{root}:{}", super::component(name)))
}

/// A role with the target account it is exported to now and the accounts it may be mapped to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RoleChoice {
    #[serde(flatten)]
    pub role: Role,
    /// The target account id `exports.<target>` maps the role's ledger account to, if any.
    pub mapped: Option<String>,
    pub allowed: Vec<String>,
    /// Kinds of account the target may create for the role (a missing account, made from the
    /// picker): only those of a class the role allows.
    pub creatable: Vec<super::new_account::AccountKind>,
}

pub(super) struct QboAccount {
    id: String,
    name: String,
    account_type: String,
    active: bool,
}

struct XeroAccount {
    code: Option<String>,
    name: String,
    kind: String,
    class: Option<String>,
    status: Option<String>,
}

/// A target's answer read with the core's [`Reader`] (serde_json's derives over these answers were
/// bytes the worker need not carry). Every fault is `E_JSON` at its path, as when serde_json read
/// them: the answer is the target's to fix, not the merchant's. Unknown members are skipped.
pub(super) fn answer<T>(text: &str, read: impl FnOnce(&mut Reader<'_>) -> Result<T>) -> Result<T> {
    let mut r = Reader::new(text);
    let value = read(&mut r).and_then(|v| r.finish().map(|()| v));
    value.map_err(|e| match e {
        LedgerError::Json { .. } => e,
        other => LedgerError::Json {
            path: other.path().to_string(),
            message: other.to_string(),
        },
    })
}

/// `{"<list>": [items]}` (other members skipped); no list is an empty one.
fn listed<'a, T>(
    r: &mut Reader<'a>,
    list: &str,
    item: fn(&mut Reader<'a>) -> Result<T>,
) -> Result<Vec<T>> {
    let mut items = Vec::new();
    members(r, &[list], Others::Skip, &mut |r, _| {
        items = r.vec(item)?;
        Ok(())
    })?;
    Ok(items)
}

impl QboAccount {
    /// A QBO `Account`: `Id`, `Name` and `AccountType` required, `Active` true unless said.
    pub(super) fn read(r: &mut Reader<'_>) -> Result<QboAccount> {
        let (mut id, mut name, mut account_type, mut active) = (None, None, None, true);
        members(
            r,
            &["Id", "Name", "AccountType", "Active"],
            Others::Skip,
            &mut |r, i| {
                match i {
                    0 => id = Some(r.string()?),
                    1 => name = Some(r.string()?),
                    2 => account_type = Some(r.string()?),
                    _ => active = r.bool()?,
                }
                Ok(())
            },
        )?;
        Ok(QboAccount {
            id: id.ok_or_else(|| r.missing("Id"))?,
            name: name.ok_or_else(|| r.missing("Name"))?,
            account_type: account_type.ok_or_else(|| r.missing("AccountType"))?,
            active,
        })
    }
}

impl XeroAccount {
    /// A Xero `Account`: `Name` and `Type` required; `Code`, `Class` and `Status` may be absent
    /// or `null`.
    fn read(r: &mut Reader<'_>) -> Result<XeroAccount> {
        let (mut code, mut name, mut kind, mut class, mut status) = (None, None, None, None, None);
        members(
            r,
            &["Code", "Name", "Type", "Class", "Status"],
            Others::Skip,
            &mut |r, i| {
                match i {
                    0 => code = r.opt(Reader::string)?,
                    1 => name = Some(r.string()?),
                    2 => kind = Some(r.string()?),
                    3 => class = r.opt(Reader::string)?,
                    _ => status = r.opt(Reader::string)?,
                }
                Ok(())
            },
        )?;
        Ok(XeroAccount {
            code,
            name: name.ok_or_else(|| r.missing("Name"))?,
            kind: kind.ok_or_else(|| r.missing("Type"))?,
            class,
            status,
        })
    }
}

/// The active accounts of a QBO `select * from Account` answer.
pub fn qbo_chart(text: &str) -> Result<Vec<TargetAccount>> {
    let accounts = answer(text, |r| {
        let mut accounts = Vec::new();
        members(r, &["QueryResponse"], Others::Skip, &mut |r, _| {
            accounts = listed(r, "Account", QboAccount::read)?;
            Ok(())
        })?;
        Ok(accounts)
    })?;
    Ok(accounts
        .into_iter()
        .filter(|a| a.active)
        .map(QboAccount::into_target)
        .collect())
}

impl QboAccount {
    pub(super) fn into_target(self) -> TargetAccount {
        TargetAccount {
            class: qbo_class(&self.account_type),
            ledger: ledger_name(qbo_class(&self.account_type), &self.name),
            id: self.id,
            name: self.name,
            kind: self.account_type,
        }
    }
}

/// The active accounts with a code of a Xero `GET Accounts` answer: a manual journal line names
/// its account by code, so an account without one cannot be posted to.
pub fn xero_chart(text: &str) -> Result<Vec<TargetAccount>> {
    let accounts = answer(text, |r| listed(r, "Accounts", XeroAccount::read))?;
    Ok(accounts
        .into_iter()
        .filter(|a| a.status.as_deref().is_none_or(|s| s == "ACTIVE"))
        .filter_map(|a| {
            let code = a.code.filter(|c| !c.trim().is_empty())?;
            let class = xero_class(a.class.as_deref(), &a.kind);
            Some(TargetAccount {
                class,
                ledger: ledger_name(class, &a.name),
                id: code,
                name: a.name,
                kind: a.kind,
            })
        })
        .collect())
}

impl Config {
    /// Each role with its current export to `target` (`qbo` or `xero`) and the chart's accounts of
    /// a class the role allows.
    pub fn role_choices(
        &self,
        target: &str,
        chart: &[TargetAccount],
        gateways_seen: &[&str],
        tax_titles_seen: &[&str],
    ) -> Vec<RoleChoice> {
        let exports = match target {
            "qbo" => Some(&self.exports.qbo),
            "xero" => Some(&self.exports.xero),
            _ => None,
        };
        self.roles(gateways_seen, tax_titles_seen)
            .into_iter()
            .map(|role| RoleChoice {
                creatable: super::new_account::creatable(target, &role.classes),
                mapped: exports.and_then(|e| e.get(&role.account).cloned()),
                allowed: chart
                    .iter()
                    .filter(|a| a.class.is_some_and(|c| role.classes.contains(&c)))
                    .map(|a| a.id.clone())
                    .collect(),
                role,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const QBO: &str = r#"{"QueryResponse":{"Account":[
        {"Id":"35","Name":"Checking","AccountType":"Bank","Active":true},
        {"Id":"79","Name":"Sales of Product Income","AccountType":"Income","Active":true},
        {"Id":"81","Name":"Undeposited Funds","AccountType":"Other Current Asset","Active":true},
        {"Id":"90","Name":"Old income","AccountType":"Income","Active":false},
        {"Id":"99","Name":"Estimates","AccountType":"Non-Posting","Active":true}
      ],"startPosition":1,"maxResults":5}}"#;

    #[test]
    fn a_qbo_chart_keeps_active_accounts_and_a_role_allows_only_its_classes() {
        let chart = qbo_chart(QBO).expect("valid answer");
        assert_eq!(
            chart.iter().map(|a| a.id.as_str()).collect::<Vec<_>>(),
            ["35", "79", "81", "99"]
        );
        let config = Config::load("[exports.qbo]\n\"Income:Sales\" = \"79\"").expect("valid");
        let choices = config.role_choices("qbo", &chart, &["shopify_payments"], &[]);
        let at = |path: &str| {
            choices
                .iter()
                .find(|c| c.role.path == path)
                .unwrap_or_else(|| panic!("no {path}"))
        };
        assert_eq!(at("accounts.sales").allowed, ["79"]);
        assert_eq!(at("accounts.sales").mapped.as_deref(), Some("79"));
        assert_eq!(at("accounts.bank").allowed, ["35", "81"]);
        assert_eq!(at("accounts.bank").mapped, None);
        // No income account for a clearing role; a non-posting account for none.
        assert_eq!(
            at("gateways.\"shopify_payments\".clearing").allowed,
            ["35", "81"]
        );
        assert!(choices
            .iter()
            .all(|c| !c.allowed.contains(&"99".to_string())));
        let ledger = |id: &str| {
            chart
                .iter()
                .find(|a| a.id == id)
                .and_then(|a| a.ledger.clone())
        };
        assert_eq!(
            ledger("79").as_deref(),
            Some("Income:Sales-Of-Product-Income")
        );
        assert_eq!(ledger("35").as_deref(), Some("Assets:Checking"));
        assert_eq!(ledger("99"), None);
    }

    #[test]
    fn a_xero_chart_is_keyed_by_code_and_classed_by_class_or_type() {
        let chart = xero_chart(
            r#"{"Accounts":[
              {"AccountID":"a","Code":"200","Name":"Sales","Type":"REVENUE","Class":"REVENUE","Status":"ACTIVE"},
              {"AccountID":"b","Code":"820","Name":"GST","Type":"CURRLIAB","Status":"ACTIVE"},
              {"AccountID":"c","Name":"Bank (no code)","Type":"BANK","Class":"ASSET","Status":"ACTIVE"},
              {"AccountID":"d","Code":"201","Name":"Archived","Type":"SALES","Class":"REVENUE","Status":"ARCHIVED"}]}"#,
        )
        .expect("valid answer");
        assert_eq!(chart.len(), 2);
        assert_eq!(chart[1].class, Some(AccountClass::Liability));
        assert_eq!(chart[1].ledger.as_deref(), Some("Liabilities:GST"));
        assert_eq!(chart[0].id, "200");
    }

    #[test]
    fn an_unreadable_answer_is_a_json_error_with_its_path() {
        let e = qbo_chart(r#"{"QueryResponse":{"Account":[{"Id":35}]}}"#).unwrap_err();
        assert_eq!(e.code(), "E_JSON");
        assert_eq!(e.path(), "QueryResponse.Account[0].Id");
        // Missing lists are empty; a missing name, a repeated member, a `null` list and text
        // after the answer are refused, as serde_json refused them.
        assert!(qbo_chart(r#"{"time":"t"}"#).unwrap().is_empty());
        assert!(xero_chart(r#"{"Status":"OK"}"#).unwrap().is_empty());
        for bad in [
            r#"{"Accounts":[{"Code":"1","Type":"BANK"}]}"#,
            r#"{"Accounts":[{"Code":"1","Name":"a","Name":"b","Type":"BANK"}]}"#,
            r#"{"Accounts":null}"#,
            r#"{"Accounts":[]} x"#,
        ] {
            assert_eq!(xero_chart(bad).unwrap_err().code(), "E_JSON", "{bad}");
        }
    }
}
