//! The customer every adapter reads (issue #14), checked against what each fixture's payload says,
//! read by hand; and the two promises that come with it: no customer datum reaches a journal entry,
//! and a redacted payload yields no name, email, id or street.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{cases, config_for, fixtures_root};
use ledgerbridge_core::model::{Address, Customer};
use ledgerbridge_core::{map, redact_personal_data, Platform};

/// The customer the documents' pass reads, of a payload the adapter also accepts.
fn customer_of(platform: Platform, payload: &[u8]) -> Option<Customer> {
    platform.parse(payload).unwrap();
    ledgerbridge_core::platforms::customer_of(platform, payload).unwrap()
}

fn fixture(platform: Platform, case: &str) -> Option<Customer> {
    let path = fixtures_root()
        .join(platform.as_str())
        .join(case)
        .join("input.json");
    customer_of(platform, &std::fs::read(path).unwrap())
}

fn s(text: &str) -> Option<String> {
    Some(text.to_string())
}

/// The canary customer as the fixtures plant it, with the id and address each platform gives.
fn canary(id: &str, address: Address) -> Customer {
    Customer {
        id: s(id),
        guest: false,
        name: s("Canary Person"),
        company: None,
        email: s("canary.pii@example.test"),
        billing_address: Some(address),
        tax_exempt: false,
        vat_number: None,
    }
}

fn street(city: &str, region: Option<&str>, postal: &str, country: &str) -> Address {
    Address {
        line1: s("1 Canary Road"),
        line2: s("Apt CANARY"),
        city: s(city),
        region: region.and_then(s),
        postal_code: s(postal),
        country: s(country),
    }
}

#[test]
fn shopify_reads_the_customer_object_and_the_billing_address() {
    // simple: customer.id 7100000001001, first/last name, email; billing_address province_code NY;
    // company null in both objects.
    assert_eq!(
        fixture(Platform::Shopify, "simple"),
        Some(canary(
            "7100000001001",
            street("Canaryville", Some("NY"), "10001", "US")
        ))
    );
    // tax-inclusive-eu: Lyon, no province, FR.
    assert_eq!(
        fixture(Platform::Shopify, "tax-inclusive-eu"),
        Some(canary("7100000001003", street("Lyon", None, "69001", "FR")))
    );
    // jpy-zero-decimal: a customer with an id and nothing else (email "", billing_address null).
    assert_eq!(
        fixture(Platform::Shopify, "jpy-zero-decimal"),
        Some(Customer {
            id: s("7100000001013"),
            ..Customer::default()
        })
    );
    // A bare refunds/create body names no customer.
    assert_eq!(fixture(Platform::Shopify, "refund-webhook"), None);
}

#[test]
fn shopify_guest_checkout_is_a_guest_with_the_billing_name() {
    let order = br##"{"id": 1, "name": "#1", "currency": "USD", "processed_at": "2026-05-03T10:00:00Z",
        "payment_gateway_names": ["manual"], "customer": null, "email": "g@example.test",
        "billing_address": {"name": "Gast Kunde", "company": "Kunde GmbH", "address1": "Weg 1", "zip": 10115, "country_code": "DE"},
        "line_items": [{"id": 1, "quantity": 1, "price": "5.00"}]}"##;
    assert_eq!(
        customer_of(Platform::Shopify, order),
        Some(Customer {
            guest: true,
            name: s("Gast Kunde"),
            company: s("Kunde GmbH"),
            email: s("g@example.test"),
            billing_address: Some(Address {
                line1: s("Weg 1"),
                postal_code: s("10115"),
                country: s("DE"),
                ..Address::default()
            }),
            ..Customer::default()
        })
    );
}

#[test]
fn shopify_tax_exempt_customer_is_marked() {
    let order = br##"{"id": 1, "name": "#1", "currency": "USD", "processed_at": "2026-05-03T10:00:00Z",
        "payment_gateway_names": ["manual"], "customer": {"id": 5, "first_name": "Ruth", "tax_exempt": true},
        "line_items": [{"id": 1, "quantity": 1, "price": "5.00"}]}"##;
    let c = customer_of(Platform::Shopify, order).unwrap();
    assert!(c.tax_exempt);
    assert_eq!((c.id, c.name), (s("5"), s("Ruth")));
}

#[test]
fn woocommerce_reads_customer_id_and_billing() {
    // simple: customer_id 17; billing company "" (none), state NY, postcode 10001, country US.
    assert_eq!(
        fixture(Platform::WooCommerce, "simple"),
        Some(canary(
            "17",
            street("Canaryville", Some("NY"), "10001", "US")
        ))
    );
    // tax-inclusive-eu: state "" (none), Canarystadt, DE.
    assert_eq!(
        fixture(Platform::WooCommerce, "tax-inclusive-eu"),
        Some(canary("17", street("Canarystadt", None, "10115", "DE")))
    );
    // A refund object carries no customer.
    assert_eq!(fixture(Platform::WooCommerce, "refund-object"), None);
}

#[test]
fn woocommerce_customer_id_zero_is_a_guest() {
    let path = fixtures_root().join("woocommerce/simple/input.json");
    let text = std::fs::read_to_string(path).unwrap();
    let guest = text.replacen("\"customer_id\": 17", "\"customer_id\": 0", 1);
    assert_ne!(guest, text, "the fixture's customer_id moved");
    let c = customer_of(Platform::WooCommerce, guest.as_bytes()).unwrap();
    assert!(c.guest);
    assert_eq!((c.id, c.name), (None, s("Canary Person")));
}

#[test]
fn bigcommerce_reads_customer_id_and_billing_address() {
    // simple: customer_id 41; state "New York" (BigCommerce sends no state code), country_iso2 US.
    assert_eq!(
        fixture(Platform::BigCommerce, "simple"),
        Some(canary(
            "41",
            street("Canaryville", Some("New York"), "10001", "US")
        ))
    );
    // tax-inclusive: state "", zip "SW1A 1AA", GB.
    assert_eq!(
        fixture(Platform::BigCommerce, "tax-inclusive"),
        Some(canary("41", street("Canarystadt", None, "SW1A 1AA", "GB")))
    );
}

#[test]
fn stripe_reads_the_customer_id_and_billing_details() {
    // charge-fee-usd: "customer": "cus_Canary", no billing_details.
    assert_eq!(
        fixture(Platform::Stripe, "charge-fee-usd"),
        Some(Customer {
            id: s("cus_Canary"),
            ..Customer::default()
        })
    );
    assert_eq!(fixture(Platform::Stripe, "refund"), None);
    // A guest charge: billing_details with a nested address, receipt_email.
    let charge = br#"{"id": "ch_1", "object": "charge", "amount": 500, "currency": "usd",
        "created": 1777816800, "status": "succeeded", "customer": null, "receipt_email": "r@example.test",
        "billing_details": {"name": "Ana Lima", "email": null, "address": {"line1": "Rua 2", "city": "Recife", "country": "BR"}}}"#;
    assert_eq!(
        customer_of(Platform::Stripe, charge),
        Some(Customer {
            guest: true,
            name: s("Ana Lima"),
            email: s("r@example.test"),
            billing_address: Some(Address {
                line1: s("Rua 2"),
                city: s("Recife"),
                country: s("BR"),
                ..Address::default()
            }),
            ..Customer::default()
        })
    );
    // An expanded customer object gives its id, name and Stripe's `tax_exempt: "exempt"`.
    let expanded = r#"{"id": "ch_2", "object": "charge", "amount": 500, "currency": "usd",
        "created": 1777816800, "status": "succeeded",
        "customer": {"id": "cus_9", "name": "Zoë Müller", "email": "z@example.test", "tax_exempt": "exempt"}}"#;
    let c = customer_of(Platform::Stripe, expanded.as_bytes()).unwrap();
    assert_eq!(
        (c.id, c.name, c.tax_exempt),
        (s("cus_9"), s("Zoë Müller"), true)
    );
}

#[test]
fn canonical_json_carries_the_customer_as_written() {
    let order = r#"{"type": "order", "id": "7", "processed_at": "2026-05-03", "version": "2026-05-03",
        "currency": "EUR", "gateway": "manual", "lines": [{"id": "1", "quantity": 1, "unit_price": "5.00"}],
        "customer": {"id": "c-1", "name": "山田 太郎", "vat_number": "DE123456789", "tax_exempt": true,
                     "billing_address": {"city": "Berlin", "country": "DE"}}}"#;
    let c = customer_of(Platform::Canonical, order.as_bytes()).unwrap();
    assert_eq!(c.name, s("山田 太郎"));
    assert_eq!(c.vat_number, s("DE123456789"));
    assert!(c.tax_exempt && !c.guest);
    assert_eq!(fixture(Platform::Canonical, "simple-order"), None);
    let unknown =
        br#"{"type": "order", "id": "7", "processed_at": "2026-05-03", "version": "2026-05-03",
        "currency": "EUR", "customer": {"nickname": "x"}}"#;
    // Journals do not read the customer, so mapping takes the order; its documents are refused,
    // naming the field.
    assert!(Platform::Canonical.parse(unknown).is_ok());
    let error =
        ledgerbridge_core::platforms::customer_of(Platform::Canonical, unknown).unwrap_err();
    assert!(error.to_string().contains("customer.nickname"), "{error}");
}

/// The customer never enters a journal entry: no name, email, company or street of the fixture's
/// customer appears anywhere in what the fixture maps to.
#[test]
fn no_customer_datum_reaches_any_entry() {
    let mut checked = 0;
    for (platform, case) in cases() {
        let input = std::fs::read(case.join("input.json")).unwrap();
        let Some(c) = customer_of(platform, &input) else {
            continue;
        };
        let Ok(mapped) = map(platform, &input, &config_for(&case)) else {
            continue;
        };
        let out = serde_json::to_string(&mapped).unwrap();
        let street = c.billing_address.as_ref().and_then(|a| a.line1.clone());
        for datum in [&c.name, &c.email, &c.company, &street]
            .into_iter()
            .flatten()
        {
            assert!(
                !out.contains(datum.as_str()),
                "{}: {datum:?} is in the entries",
                case.display()
            );
            checked += 1;
        }
    }
    assert!(checked > 60, "only {checked} customer data checked");
}

/// A redacted payload gives no customer that names or locates the person; only region and
/// country (which decide tax) may remain.
#[test]
fn a_redacted_payload_yields_no_personal_customer_data() {
    let mut had = 0;
    for (platform, case) in cases() {
        let input = std::fs::read(case.join("input.json")).unwrap();
        if customer_of(platform, &input).is_some() {
            had += 1;
        }
        let redacted = redact_personal_data(&input).unwrap();
        let Some(c) = customer_of(platform, redacted.as_bytes()) else {
            continue;
        };
        let a = c.billing_address.clone().unwrap_or_default();
        assert_eq!(
            (&c.id, &c.name, &c.email, &c.company, &c.vat_number),
            (&None, &None, &None, &None, &None),
            "{}: {c:?}",
            case.display()
        );
        assert_eq!(
            (&a.line1, &a.line2, &a.city, &a.postal_code),
            (&None, &None, &None, &None),
            "{}: {c:?}",
            case.display()
        );
    }
    assert!(had > 30, "only {had} fixtures carry a customer");
}

/// An erasure forgets the contacts made for the people a payload names, reading them with
/// `redact::named_in` (the fields an erasure request is matched on): for every fixture, the key
/// its customer's contact has under any documents setting is among them, and a redacted payload
/// names nobody.
#[test]
fn an_erasure_finds_every_contact_key_a_fixture_could_have_made() {
    use ledgerbridge_core::exporters::{contact_for, find_keys};
    use ledgerbridge_core::platforms::redact::named_in;
    use ledgerbridge_core::rules::{Documents, GuestMode};
    let mut checked = 0;
    for (platform, case) in cases() {
        let input = std::fs::read(case.join("input.json")).unwrap();
        let keys = find_keys(&named_in(&input).unwrap());
        let customer = customer_of(platform, &input);
        for guests in [GuestMode::Shared, GuestMode::Individual] {
            let docs = Documents {
                customers: true,
                guests,
                ..Documents::default()
            };
            let key = contact_for(customer.as_ref(), &docs).key;
            if key != "guest" {
                assert!(
                    keys.contains(&key),
                    "{}: {key} not in {keys:?}",
                    case.display()
                );
                checked += 1;
            }
        }
        let redacted = redact_personal_data(&input).unwrap();
        assert_eq!(
            named_in(redacted.as_bytes()).unwrap(),
            Default::default(),
            "{}",
            case.display()
        );
    }
    assert!(checked > 40, "only {checked} contact keys checked");
}
