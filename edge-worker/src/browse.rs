//! The merchant's browsing API: the order list (`GET /api/orders`) and what needs attention
//! (`GET /api/attention`). Same credentials as the rest of `/api`; a session token sees its shop.

use crate::api::authorize;
use crate::config::Settings;
use crate::http_error::{HttpError, HttpResult};
use crate::reply::{self, Obj};
use crate::store::{Cursor, Db, OrderFilter, ORDER_STATES};
use worker::{Env, Request, Response};

/// Rows per page when the caller names none, and the most it may ask for.
pub const DEFAULT_PAGE: u32 = 50;
pub const MAX_PAGE: u32 = 500;

#[derive(Default)]
struct OrdersQuery {
    shop: Option<String>,
    q: Option<String>,
    state: Option<String>,
    limit: Option<String>,
    cursor: Option<String>,
}

/// `limit=` as a page size: 1..=MAX_PAGE, DEFAULT_PAGE when absent.
pub fn page_size(text: Option<&str>) -> HttpResult<u32> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(DEFAULT_PAGE),
        Some(t) => t
            .parse::<u32>()
            .ok()
            .filter(|n| (1..=MAX_PAGE).contains(n))
            .ok_or_else(|| {
                let mut e = HttpError::bad_request(
                    "E_BAD_QUERY",
                    format!("limit={t:?}: want a whole number from 1 to {MAX_PAGE}"),
                );
                e.path = "limit".into();
                e
            }),
    }
}

fn bad_query(field: &str, message: String) -> HttpError {
    let mut e = HttpError::bad_request("E_BAD_QUERY", message);
    e.path = field.into();
    e
}

/// `GET /api/orders?shop=&q=&state=&limit=&cursor=`: one page of orders, newest activity first,
/// `{orders, next_cursor, counts}`; `counts` per state over the whole (unfiltered) list.
pub async fn orders(req: &Request, env: &Env, settings: &Settings) -> HttpResult<Response> {
    let [shop, q, state, limit, cursor] =
        crate::peek::query(req, ["shop", "q", "state", "limit", "cursor"])?;
    let q = OrdersQuery {
        shop,
        q,
        state,
        limit,
        cursor,
    };
    let caller = authorize(req, env, settings, q.shop.as_deref())?;
    let shop = caller.scope(q.shop.as_deref())?;
    let state = q.state.as_deref().map(str::trim).filter(|s| !s.is_empty());
    if let Some(s) = state.filter(|s| !ORDER_STATES.contains(s)) {
        return Err(bad_query(
            "state",
            format!("state={s:?}: want one of {}", ORDER_STATES.join(", ")),
        ));
    }
    let cursor = match q.cursor.as_deref().filter(|c| !c.is_empty()) {
        None => None,
        Some(c) => Some(Cursor::decode(c).ok_or_else(|| {
            bad_query(
                "cursor",
                "cursor: pass back the next_cursor of the previous page".into(),
            )
        })?),
    };
    let search =
        q.q.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| s.chars().take(100).collect::<String>());
    let limit = page_size(q.limit.as_deref())?;
    let db = Db::new(env)?;
    let (rows, next) = db
        .orders(&OrderFilter {
            shop: shop.as_deref(),
            state,
            search: search.as_deref(),
            after: cursor.as_ref(),
            limit,
        })
        .await?;
    let counts = counts(db.order_counts(shop.as_deref()).await?);
    let rows: Vec<String> = rows.iter().map(|r| r.obj().text()).collect();
    let answer = Obj::new()
        .list("orders", &rows)
        .opt("next_cursor", next.map(|c| c.encode()).as_deref())
        .raw("counts", counts);
    Ok(reply::json(answer.text())?)
}

/// Counts by name as a JSON object (`{"parked": 2, …}`).
pub fn counts(counts: impl IntoIterator<Item = (String, i64)>) -> String {
    counts
        .into_iter()
        .fold(Obj::new(), |obj, (k, n)| obj.int(k, n))
        .text()
}

/// A core refusal as the consumer writes it into an event's reason: `… [E_CODE at path]` (one per
/// rejected part of a partly booked document).
#[derive(Debug, PartialEq)]
pub struct Problem {
    pub code: String,
    pub path: String,
}

pub fn problems(reason: &str) -> Vec<Problem> {
    let mut out = Vec::new();
    let mut rest = reason;
    while let Some(start) = rest.find("[E_") {
        let tail = &rest[start + 1..];
        // JSON paths hold brackets of their own (`refunds[0]`): the tag ends at the `]` that
        // closes its `[`.
        let mut depth = 0usize;
        let end = tail.char_indices().find_map(|(i, c)| match c {
            '[' => {
                depth += 1;
                None
            }
            ']' if depth == 0 => Some(i),
            ']' => {
                depth -= 1;
                None
            }
            _ => None,
        });
        let Some(end) = end else { break };
        let inner = &tail[..end];
        let (code, path) = inner.split_once(" at ").unwrap_or((inner, ""));
        if code.bytes().all(|b| b.is_ascii_uppercase() || b == b'_') {
            out.push(Problem {
                code: code.to_string(),
                path: path.to_string(),
            });
        }
        rest = &tail[end..];
    }
    out
}

/// `GET /api/attention[?shop=]`: parked events (with the core's code and JSON path for each
/// refused part), refunds waiting for their order, and parked postings; newest first.
pub async fn attention(req: &Request, env: &Env, settings: &Settings) -> HttpResult<Response> {
    #[derive(Default)]
    struct Q {
        shop: Option<String>,
        limit: Option<String>,
    }
    let [shop, limit] = crate::peek::query(req, ["shop", "limit"])?;
    let q = Q { shop, limit };
    let caller = authorize(req, env, settings, q.shop.as_deref())?;
    let shop = caller.scope(q.shop.as_deref())?;
    let limit = page_size(q.limit.as_deref())?;
    let (events, postings) = Db::new(env)?.attention(shop.as_deref(), limit).await?;
    let events: Vec<_> = events
        .into_iter()
        .map(|e| {
            let found: Vec<String> = e
                .reason
                .as_deref()
                .map(problems)
                .unwrap_or_default()
                .iter()
                .map(|p| Obj::new().str("code", &p.code).str("path", &p.path).text())
                .collect();
            e.obj().set("problems", reply::list(&found)).text()
        })
        .collect();
    let postings: Vec<_> = postings
        .into_iter()
        .map(|p| {
            let prefix = format!("{}:{}:order:", p.platform, p.shop);
            let order_id = p
                .order_key
                .as_deref()
                .and_then(|k| k.strip_prefix(&prefix))
                .map(str::to_string);
            let order_id = order_id
                .as_deref()
                .map_or_else(|| "null".into(), reply::quoted);
            p.obj().set("order_id", order_id).text()
        })
        .collect();
    let answer = Obj::new()
        .list("events", &events)
        .list("postings", &postings);
    Ok(reply::json(answer.text())?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_are_read_from_each_refused_part() {
        let reason = "partly booked: refund 1 not booked: does not add up [E_UNBALANCED_SOURCE at refunds[0].transactions]; \
                      refund 2 not booked: bad [E_INVALID_AMOUNT at refunds[1].refund_line_items[0].subtotal]";
        assert_eq!(
            problems(reason),
            vec![
                Problem {
                    code: "E_UNBALANCED_SOURCE".into(),
                    path: "refunds[0].transactions".into()
                },
                Problem {
                    code: "E_INVALID_AMOUNT".into(),
                    path: "refunds[1].refund_line_items[0].subtotal".into()
                },
            ]
        );
        assert_eq!(
            problems("invalid JSON [E_JSON at ]"),
            vec![Problem {
                code: "E_JSON".into(),
                path: String::new()
            }]
        );
        assert!(problems("QBO answered 400: [Errors] not a code").is_empty());
        assert!(problems("unterminated [E_X at y").is_empty());
    }

    #[test]
    fn page_sizes_are_bounded() {
        assert_eq!(page_size(None).ok(), Some(DEFAULT_PAGE));
        assert_eq!(page_size(Some("20")).ok(), Some(20));
        assert!(page_size(Some("0")).is_err());
        assert!(page_size(Some("501")).is_err());
        assert!(page_size(Some("ten")).is_err());
    }
}
