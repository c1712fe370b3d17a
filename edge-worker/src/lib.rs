//! Cloudflare Worker face of ledgerbridge-core (built out in the edge worker issue).
