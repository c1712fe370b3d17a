//! Which contact a sales document goes to, and the name it has there (docs/documents.md,
//! "Customers"). Deterministic: the same customer gives the same key and names on every host, so
//! retries and redeliveries find the contact made the first time.

use crate::model::Customer;
use crate::platforms::redact::People;
use crate::rules::{Documents, GuestMode, DISPLAY_NAME_MAX};

/// Characters of the platform id or email that the disambiguating suffix keeps.
const SUFFIX_MAX: usize = 40;

#[derive(Debug, Clone, PartialEq)]
pub struct Contact {
    /// How the poster finds the contact again: `id:<platform customer id>`, else
    /// `email:<address in lower case>`; `guest` for the shared guest contact.
    pub key: String,
    /// ≤ 100 characters, no `:` and no control characters.
    pub display_name: String,
    /// `display_name` with the platform id (or email) appended, for when the target says the
    /// name is taken by someone else (QBO 6240, Xero's unique contact name).
    pub unique_name: String,
    /// The name was longer than 100 characters and was cut.
    pub truncated: bool,
    /// The customer's data for the contact body; `None` for the shared guest contact.
    pub customer: Option<Customer>,
}

impl Contact {
    pub fn is_guest(&self) -> bool {
        self.customer.is_none()
    }
}

/// The contact for `customer`: the shared guest contact when customer sync is off, for a guest
/// checkout (unless guests are kept individually), and for a customer with no name, no company
/// and no email; the customer's own contact otherwise.
pub fn contact_for(customer: Option<&Customer>, config: &Documents) -> Contact {
    let shared = || {
        let name = clean(&config.guest_name);
        Contact {
            key: "guest".to_string(),
            unique_name: name.clone(),
            display_name: name,
            truncated: false,
            customer: None,
        }
    };
    let Some(c) = customer.filter(|_| config.customers) else {
        return shared();
    };
    if c.guest && config.guests == GuestMode::Shared {
        return shared();
    }
    let email = email_of(c);
    let key = match (c.id.as_deref().filter(|_| !c.guest), email) {
        (Some(id), _) => id_key(id),
        (None, Some(email)) => email_key(email),
        (None, None) => return shared(),
    };
    let base = [c.name.as_deref(), c.company.as_deref(), email]
        .into_iter()
        .flatten()
        .map(clean)
        .find(|n| !n.is_empty());
    let Some(base) = base else {
        return shared();
    };
    let truncated = base.chars().count() > DISPLAY_NAME_MAX;
    let display_name = cut(&base, DISPLAY_NAME_MAX);
    let tag = key.split_once(':').map_or(key.as_str(), |(_, v)| v);
    let suffix = format!(" ({})", cut(&clean(tag), SUFFIX_MAX));
    let room = DISPLAY_NAME_MAX - suffix.chars().count();
    let unique_name = format!("{}{suffix}", cut(&base, room).trim_end());
    Contact {
        key,
        display_name,
        unique_name,
        truncated,
        customer: Some(c.clone()),
    }
}

/// Every find key a contact made for one of `people` can be recorded under, whatever the
/// documents settings were when it was made (a customer's id key; the email key a guest kept
/// individually, or a customer without an id, has): an erasure forgets all of them. Never the
/// shared `guest` key, which names nobody.
pub fn find_keys(people: &People) -> Vec<String> {
    let ids = people.ids.iter().map(|id| id_key(id));
    ids.chain(people.emails.iter().map(|e| email_key(e)))
        .collect()
}

fn email_of(c: &Customer) -> Option<&str> {
    c.email.as_deref().map(str::trim).filter(|e| !e.is_empty())
}

fn id_key(id: &str) -> String {
    format!("id:{id}")
}

fn email_key(email: &str) -> String {
    format!("email:{}", email.to_lowercase())
}

/// One line of text: control characters become spaces, `:` (QBO's sub-customer separator)
/// becomes `-`, runs of spaces become one. Letters of every script are kept as they are.
fn clean(text: &str) -> String {
    let replaced: String = text
        .chars()
        .map(|c| match c {
            ':' => '-',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect();
    replaced.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// At most `max` characters, cut on a character boundary.
fn cut(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn customer(id: Option<&str>, name: Option<&str>, email: Option<&str>) -> Customer {
        Customer {
            id: id.map(String::from),
            guest: id.is_none(),
            name: name.map(String::from),
            email: email.map(String::from),
            ..Customer::default()
        }
    }

    #[test]
    fn every_key_a_contact_is_made_under_is_one_an_erasure_forgets() {
        let shapes = [
            customer(Some("41"), Some("Ann"), Some(" Ann@Example.TEST ")),
            customer(Some("42"), None, None),
            customer(None, Some("Guest"), Some("G@Example.test")),
            customer(None, None, None),
            Customer {
                guest: true,
                ..customer(Some("43"), Some("Was a guest"), Some("w@example.test"))
            },
        ];
        // What the erasure reads off a payload (`redact::named_in`): trimmed, as sent.
        let named = |c: &Customer| People {
            emails: c.email.iter().map(|e| e.trim().to_string()).collect(),
            ids: c.id.iter().cloned().collect(),
        };
        for customers in [true, false] {
            for guests in [GuestMode::Shared, GuestMode::Individual] {
                let docs = Documents {
                    customers,
                    guests,
                    ..Documents::default()
                };
                for c in &shapes {
                    let key = contact_for(Some(c), &docs).key;
                    let keys = find_keys(&named(c));
                    assert!(
                        key == "guest" || keys.contains(&key),
                        "{key} not among {keys:?} ({c:?}, {customers}, {guests:?})"
                    );
                    assert!(!keys.iter().any(|k| k == "guest"));
                }
            }
        }
        assert_eq!(
            find_keys(&named(&shapes[0])),
            ["id:41", "email:ann@example.test"]
        );
        assert!(find_keys(&named(&shapes[3])).is_empty());
    }

    #[test]
    fn no_name_and_no_email_goes_to_the_guest_contact() {
        let docs = Documents::default();
        let c = contact_for(Some(&customer(Some("5"), None, None)), &docs);
        assert_eq!(
            (c.key.as_str(), c.display_name.as_str()),
            ("guest", "Online customers")
        );
        assert!(c.is_guest());
        assert!(contact_for(None, &docs).is_guest());
    }

    #[test]
    fn a_200_character_name_is_cut_to_100_and_the_suffix_still_fits() {
        let long = "Ä".repeat(200);
        let c = contact_for(
            Some(&customer(Some("77"), Some(&long), None)),
            &Documents::default(),
        );
        assert_eq!(c.display_name, "Ä".repeat(100));
        assert!(c.truncated);
        assert_eq!(c.unique_name, format!("{} (77)", "Ä".repeat(95)));
        assert_eq!(c.unique_name.chars().count(), 100);
    }

    #[test]
    fn non_latin_names_are_kept_and_colons_replaced() {
        let docs = Documents::default();
        let c = contact_for(Some(&customer(Some("9"), Some("山田 太郎"), None)), &docs);
        assert_eq!(c.display_name, "山田 太郎");
        assert_eq!(c.unique_name, "山田 太郎 (9)");
        let c = contact_for(Some(&customer(Some("9"), Some("A: B\nC"), None)), &docs);
        assert_eq!(c.display_name, "A- B C");
    }

    #[test]
    fn guests_share_one_contact_unless_kept_individually() {
        let guest = customer(None, Some("Gast"), Some("G@Example.test"));
        assert!(contact_for(Some(&guest), &Documents::default()).is_guest());
        let individual = Documents {
            guests: GuestMode::Individual,
            ..Documents::default()
        };
        let c = contact_for(Some(&guest), &individual);
        assert_eq!(c.key, "email:g@example.test");
        assert_eq!(c.unique_name, "Gast (g@example.test)");
        let off = Documents {
            customers: false,
            ..Documents::default()
        };
        assert!(contact_for(Some(&customer(Some("1"), Some("A"), None)), &off).is_guest());
    }
}
