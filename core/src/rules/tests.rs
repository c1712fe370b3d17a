use super::*;

#[test]
fn empty_config_is_the_default_chart() {
    assert_eq!(Config::load("").unwrap(), Config::default());
    assert_eq!(Config::load("{}").unwrap(), Config::default());
    let c = Config::default();
    assert_eq!(
        c.clearing_account("shopify_payments"),
        "Assets:Clearing:Shopify-Payments"
    );
    assert_eq!(c.clearing_account("manual"), "Assets:Receivable");
    assert_eq!(
        c.clearing_account("Cash on Delivery (COD)"),
        "Assets:Receivable"
    );
    assert_eq!(c.clearing_account("gift_card"), "Liabilities:GiftCards");
    assert_eq!(c.fee_account("paypal"), "Expenses:PaymentFees:Paypal");
    assert_eq!(
        c.tax_account("CA State Tax"),
        "Liabilities:SalesTax:CA-State-Tax"
    );
}

#[test]
fn toml_and_json_carry_the_same_config() {
    let toml = r#"
shop = "demo.myshopify.com"
refunds = "reverse"
[accounts]
sales = "Income:Sales:Online"
[[sales]]
sku = "HOOD-*"
account = "Income:Sales:Apparel"
[tax]
"CA State Tax" = "Liabilities:Tax:California"
[gateways.paypal]
clearing = "Assets:PayPal"
[costs]
"HOOD-1" = "12.50"
"#;
    let json = r#"{"shop":"demo.myshopify.com","refunds":"reverse",
      "accounts":{"sales":"Income:Sales:Online"},
      "sales":[{"sku":"HOOD-*","account":"Income:Sales:Apparel"}],
      "tax":{"CA State Tax":"Liabilities:Tax:California"},
      "gateways":{"paypal":{"clearing":"Assets:PayPal"}},
      "costs":{"HOOD-1":"12.50"}}"#;
    let a = Config::load(toml).unwrap();
    assert_eq!(a, Config::load(json).unwrap());
    assert_eq!(a.refunds, RefundMode::Reverse);
    assert_eq!(a.clearing_account("paypal"), "Assets:PayPal");
    assert_eq!(a.tax_account("CA State Tax"), "Liabilities:Tax:California");
    assert_eq!(
        a.unit_cost(Some("HOOD-1")).map(|d| d.to_string()),
        Some("12.50".to_string())
    );
}

#[test]
fn validation_names_the_field_and_the_value() {
    let cases = [
        (
            r#"[[sales]]
sku = "A"
account = "Revenue:Sales""#,
            "sales[0].account",
            "Revenue:Sales",
        ),
        (
            "[accounts]\nbank = \"Assets:my bank\"",
            "accounts.bank",
            "Assets:my bank",
        ),
        (
            "[gateways.paypal]\nfees = \"Expenses\"",
            "gateways.\"paypal\".fees",
            "Expenses",
        ),
        ("[[sales]]\naccount = \"Income:X\"", "sales[0]", "Income:X"),
    ];
    for (text, path, value) in cases {
        match Config::load(text) {
            Err(LedgerError::Config {
                path: p, value: v, ..
            }) => {
                assert_eq!((p.as_str(), v.as_str()), (path, value), "{text}");
            }
            other => panic!("{text}: expected a config error, got {other:?}"),
        }
    }
}

#[test]
fn unknown_keys_and_bad_costs_are_refused_with_their_path() {
    let e = Config::load("[accounts]\nsalez = \"Income:S\"").unwrap_err();
    assert_eq!(e.code(), "E_CONFIG");
    assert!(e.to_string().contains("salez"), "{e}");
    let e = Config::load("[costs]\nMUG = \"1e3\"").unwrap_err();
    assert_eq!((e.code(), e.path()), ("E_CONFIG", "costs"));
    assert!(e.to_string().contains("1e3"));
    let e = Config::load(r#"{"costs":{"MUG":"-1"}}"#).unwrap_err();
    assert!(e.to_string().contains("negative"));
    let e = Config::load(r#"{"refunds":"sideways"}"#).unwrap_err();
    assert_eq!((e.code(), e.path()), ("E_CONFIG", "refunds"));
}

#[test]
fn sku_globs_and_first_match_wins() {
    assert!(glob("HOOD-*", "hood-xl"));
    assert!(glob("*-XL", "HOOD-XL"));
    assert!(glob("A*B*C", "AxxBxxC"));
    assert!(!glob("A*B", "AxxC"));
    assert!(glob("*", ""));
    assert!(!glob("MUG", "MUGS"));
}

#[test]
fn toml_type_errors_name_the_field_and_syntax_errors_the_line() {
    let cases = [
        (
            "[[sales]]\nsku = \"A\"\n\n[[sales]]\nsku = \"B\"\naccount = 3",
            "sales[1].account",
        ),
        ("shop = \"s\"\n[accounts]\nbank = [\"x\"]", "accounts.bank"),
        ("[gateways.paypal]\nfees = 1.5", "gateways.paypal.fees"),
        ("refunds = \"sideways\"", "refunds"),
    ];
    for (text, path) in cases {
        let e = Config::load(text).unwrap_err();
        assert_eq!((e.code(), e.path()), ("E_CONFIG", path), "{text}: {e}");
    }
    let e = Config::load("shop = \"s\"\n\n[accounts\nbank = \"Assets:Bank\"").unwrap_err();
    assert_eq!((e.code(), e.path()), ("E_CONFIG", ""));
    assert!(e.to_string().contains("line 3"), "{e}");
}

#[test]
fn toml_errors_quote_the_value_and_name_its_line() {
    let cases = [
        (
            "shop = \"demo\"\n[accounts]\nsales = \"Revenue:Sales\"",
            "Revenue:Sales",
            3,
        ),
        (
            "[[sales]]\nsku = \"A\"\naccount = \"Income:A\"\n[[sales]]\nsku = \"B\"\naccount = \"Revenue:B\"",
            "Revenue:B",
            6,
        ),
        ("[gateways.paypal]\n\nfees = \"Expenses\"", "Expenses", 3),
        (
            "[[sales]]\nsku = \"A\"\naccount = \"Income:A\"\n[[sales]]\naccount = \"Income:X\"",
            "Income:X",
            4,
        ),
        (
            "[tax]\n\"VAT 20%\" = \"Liabilities:vat\"",
            "Liabilities:vat",
            2,
        ),
        // Type errors: the value is the TOML text as written.
        (
            "[[sales]]\nsku = \"A\"\naccount = \"Income:A\"\n[[sales]]\nsku = \"B\"\naccount = 3",
            "3",
            6,
        ),
        ("shop = \"s\"\n[accounts]\nbank = [\"x\"]", "[\"x\"]", 3),
    ];
    for (text, value, line) in cases {
        match Config::load(text) {
            Err(LedgerError::Config {
                value: v, reason, ..
            }) => {
                assert_eq!(v, value, "{text}");
                assert!(
                    reason.starts_with(&format!("line {line}: ")),
                    "{text}: {reason}"
                );
            }
            other => panic!("{text}: expected a config error, got {other:?}"),
        }
    }
    // JSON configs have no TOML lines to name.
    let e = Config::load(r#"{"accounts":{"sales":"Revenue:Sales"}}"#).unwrap_err();
    assert!(!e.to_string().contains("line "), "{e}");
}
