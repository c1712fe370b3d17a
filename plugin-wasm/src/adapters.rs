//! The platform adapters this module carries. The npm package's modules carry all five and map
//! through the core's `map`; the widget's per-platform modules (npm/dist/widget/) carry one each,
//! because an adapter's wire types are a large share of a module's bytes and a widget previews
//! one platform.

pub use imp::{carried, map};

#[cfg(all(
    feature = "shopify",
    feature = "woocommerce",
    feature = "bigcommerce",
    feature = "canonical",
    feature = "stripe"
))]
mod imp {
    use ledgerbridge_core::{Config, Mapped, Platform, Result};

    pub fn map(platform: Platform, payload: &[u8], config: &Config) -> Result<Mapped> {
        ledgerbridge_core::map(platform, payload, config)
    }

    pub fn carried() -> impl Iterator<Item = Platform> {
        Platform::ALL.iter().copied()
    }
}

#[cfg(not(all(
    feature = "shopify",
    feature = "woocommerce",
    feature = "bigcommerce",
    feature = "canonical",
    feature = "stripe"
)))]
mod imp {
    use ledgerbridge_core::model::{Event, SourceFields};
    use ledgerbridge_core::platforms as p;
    use ledgerbridge_core::{map_event, Config, LedgerError, Mapped, Platform, Result};

    type Adapter = (fn(&[u8]) -> Result<Event>, &'static SourceFields);

    fn adapter(platform: Platform) -> Option<Adapter> {
        match platform {
            #[cfg(feature = "shopify")]
            Platform::Shopify => Some((p::shopify::parse, &p::shopify::FIELDS)),
            #[cfg(feature = "woocommerce")]
            Platform::WooCommerce => Some((p::woocommerce::parse, &p::woocommerce::FIELDS)),
            #[cfg(feature = "bigcommerce")]
            Platform::BigCommerce => Some((p::bigcommerce::parse, &p::bigcommerce::FIELDS)),
            #[cfg(feature = "canonical")]
            Platform::Canonical => Some((p::canonical::parse, &p::canonical::FIELDS)),
            #[cfg(feature = "stripe")]
            Platform::Stripe => Some((p::stripe::parse, &p::stripe::FIELDS)),
            _ => None,
        }
    }

    pub fn carried() -> impl Iterator<Item = Platform> {
        Platform::ALL
            .iter()
            .copied()
            .filter(|p| adapter(*p).is_some())
    }

    /// What `ledgerbridge_core::map` does (the core's payload size guard, the
    /// adapter, the engine) with only the adapters carried; another platform is unsupported here.
    pub fn map(platform: Platform, payload: &[u8], config: &Config) -> Result<Mapped> {
        let Some((parse, fields)) = adapter(platform) else {
            return Err(LedgerError::UnsupportedPlatform {
                value: platform.as_str().to_string(),
                expected: carried().map(|p| p.as_str()).collect::<Vec<_>>().join(", "),
            });
        };
        p::check_payload_size(payload)?;
        map_event(&parse(payload)?, config, fields)
    }
}
