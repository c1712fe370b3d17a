//! Account names: building components from free text, and validating names.
//!
//! Names must be valid in every target: Beancount is the strictest (components start with a capital
//! letter or digit; letters, digits and dashes only), so every generated name follows its rules.

/// The five roots Beancount accepts, which every target understands.
pub const ROOTS: [&str; 5] = ["Assets", "Liabilities", "Equity", "Income", "Expenses"];

/// Turns free text (a gateway or tax title) into one account component:
/// `shopify_payments` → `Shopify-Payments`, `CA State Tax` → `CA-State-Tax`, `VAT 20%` → `VAT-20`.
pub fn component(text: &str) -> String {
    let mut out = String::with_capacity(text.len().max(7));
    push_component(&mut out, text);
    out
}

/// `prefix:Component`, in one allocation: the account a derived name lands in.
pub(crate) fn under(prefix: &str, text: &str) -> String {
    let mut out = String::with_capacity(prefix.len() + 1 + text.len().max(7));
    out.push_str(prefix);
    out.push(':');
    push_component(&mut out, text);
    out
}

/// Appends [`component`]'s text. Words are runs of ASCII letters and digits (every other byte,
/// UTF-8 included, separates them), so they are pushed as slices of `text`.
fn push_component(out: &mut String, text: &str) {
    let start = out.len();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes.get(i).is_some_and(u8::is_ascii_alphanumeric) {
            i += 1;
            continue;
        }
        let end = bytes
            .get(i..)
            .and_then(|rest| rest.iter().position(|b| !b.is_ascii_alphanumeric()))
            .map_or(bytes.len(), |n| i + n);
        if out.len() > start {
            out.push('-');
        }
        let word = text.get(i..end).unwrap_or_default();
        if let Some(first) = word.chars().next() {
            out.push(first.to_ascii_uppercase());
            out.push_str(word.get(1..).unwrap_or_default());
        }
        i = end;
    }
    if out.len() == start {
        out.push_str("Unnamed");
    }
}

/// Checks a full account name such as `Income:Sales:Apparel`; returns why it is refused.
pub fn check_account(name: &str) -> Result<(), &'static str> {
    let mut parts = name.split(':');
    let root = parts.next().unwrap_or("");
    if !ROOTS.contains(&root) {
        return Err("must start with Assets, Liabilities, Equity, Income or Expenses");
    }
    let mut depth = 0;
    for part in parts {
        depth += 1;
        let mut chars = part.chars();
        match chars.next() {
            Some(c) if c.is_ascii_uppercase() || c.is_ascii_digit() => {}
            _ => return Err("each component must start with a capital letter or a digit"),
        }
        if !chars.all(|c| c.is_ascii_alphanumeric() || c == '-') {
            return Err("components may hold only letters, digits and dashes");
        }
    }
    if depth == 0 {
        return Err("needs at least one component after the root");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_components_valid_everywhere() {
        assert_eq!(component("shopify_payments"), "Shopify-Payments");
        assert_eq!(component("CA State Tax"), "CA-State-Tax");
        assert_eq!(component("VAT 20%"), "VAT-20");
        assert_eq!(component("gift_card"), "Gift-Card");
        assert_eq!(component("  "), "Unnamed");
        assert_eq!(component("Café"), "Caf");
        assert_eq!(component("Über-Steuer 7½ %"), "Ber-Steuer-7");
        assert_eq!(component("é"), "Unnamed");
        assert_eq!(
            under("Assets:Clearing", "paypal express"),
            "Assets:Clearing:Paypal-Express"
        );
        assert_eq!(under("Liabilities:Tax", "—"), "Liabilities:Tax:Unnamed");
        for text in ["shopify_payments", "VAT 20%", "9lives", "é"] {
            assert_eq!(
                check_account(&format!("Assets:{}", component(text))),
                Ok(())
            );
        }
    }

    #[test]
    fn refuses_invalid_names() {
        assert!(check_account("Income:Sales").is_ok());
        assert!(check_account("Revenue:Sales").is_err());
        assert!(check_account("Income").is_err());
        assert!(check_account("Income:sales").is_err());
        assert!(check_account("Income:Sales Tax").is_err());
        assert!(check_account("Income::Sales").is_err());
    }
}
