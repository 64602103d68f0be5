//! Whether a body is a JSON-RPC message tower-lsp-server will take, and the errors that
//! answer one that is not.
//!
//! The test is tower-lsp-server's own: the body is decoded into its `Request` and `Response`
//! types in the order its private `Message` enum tries them, from the same `&str`, so a body
//! passed on can never be one its decoder fails on (and ends the stream for). On top of that,
//! a request must name a method: upstream fills a missing one with `""`.

use serde::Deserialize;
use serde_json::Value;
use tower_lsp_server::jsonrpc::{Error, ErrorCode, Id, Request, Response};

/// tower-lsp-server's `Message`, which is private: a response is tried first.
#[derive(Deserialize)]
#[serde(untagged)]
enum Message {
    Response(#[allow(dead_code)] Response),
    Request(Request),
}

/// `Ok` when `body` is a message to pass on, else the error responses that answer it: one,
/// or one per request of a batch (LSP has no batches).
pub fn check(body: &[u8]) -> Result<(), Vec<Response>> {
    let text = std::str::from_utf8(body)
        .map_err(|err| vec![reject(Id::Null, ErrorCode::ParseError, format!("{err}"))])?;
    match serde_json::from_str::<Message>(text) {
        Ok(Message::Response(_)) => Ok(()),
        Ok(Message::Request(request)) if !request.method().is_empty() => Ok(()),
        Ok(Message::Request(request)) => Err(vec![reject(
            request.id().cloned().unwrap_or_default(),
            ErrorCode::InvalidRequest,
            "a request without a method".into(),
        )]),
        Err(_) => Err(explain(text)),
    }
}

/// The errors answering `text`, which is not a message.
fn explain(text: &str) -> Vec<Response> {
    let not_a_message = "not a JSON-RPC 2.0 request, notification or response";
    match serde_json::from_str::<Value>(text) {
        Err(err) => vec![reject(
            Id::Null,
            ErrorCode::ParseError,
            format!("not JSON: {err}"),
        )],
        Ok(Value::Array(items)) => {
            let batch = "a batch: the Language Server Protocol has none";
            let ids: Vec<Id> = items.iter().filter_map(id_of).collect();
            if ids.is_empty() {
                return vec![reject(Id::Null, ErrorCode::InvalidRequest, batch.into())];
            }
            ids.into_iter()
                .map(|id| reject(id, ErrorCode::InvalidRequest, batch.into()))
                .collect()
        }
        Ok(value) => vec![reject(
            id_of(&value).unwrap_or_default(),
            ErrorCode::InvalidRequest,
            not_a_message.into(),
        )],
    }
}

/// The id of a body that is not a whole message, when its JSON says one (`null` otherwise),
/// so the client can tell which of its requests failed.
pub fn id_in(body: &[u8]) -> Id {
    serde_json::from_slice::<Value>(body)
        .ok()
        .as_ref()
        .and_then(id_of)
        .unwrap_or_default()
}

/// The id of a JSON object, if it has one a response can carry.
fn id_of(value: &Value) -> Option<Id> {
    match value.get("id")? {
        Value::Number(n) => n.as_i64().map(Id::Number),
        Value::String(s) => Some(Id::String(s.clone())),
        _ => None,
    }
}

/// An error response to `id`.
pub fn reject(id: Id, code: ErrorCode, detail: String) -> Response {
    let message = format!("{}: {detail}", code.description());
    Response::from_error(
        id,
        Error {
            code,
            message: message.into(),
            data: None,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(body: &str) -> Vec<(Id, i64)> {
        check(body.as_bytes())
            .err()
            .unwrap_or_default()
            .iter()
            .map(|r| {
                let code = r.error().map_or(0, |e| e.code.code());
                (r.id().clone(), code)
            })
            .collect()
    }

    #[test]
    fn messages_pass() {
        for body in [
            r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}"#,
            r#"{"jsonrpc":"2.0","id":"a","method":"shutdown"}"#,
            r#"{"jsonrpc":"2.0","method":"exit"}"#,
            r#"{"jsonrpc":"2.0","id":3,"result":null}"#,
            r#"{"jsonrpc":"2.0","id":4,"error":{"code":-1,"message":"no"}}"#,
        ] {
            assert!(check(body.as_bytes()).is_ok(), "{body}");
        }
    }

    #[test]
    fn invalid_json_is_a_parse_error() {
        assert_eq!(errors(r#"{"jsonrpc":"#), [(Id::Null, -32700)]);
        assert_eq!(errors(""), [(Id::Null, -32700)]);
        assert_eq!(check(b"\xff{}").err().map(|e| e.len()), Some(1));
    }

    #[test]
    fn json_that_is_no_message_is_an_invalid_request_with_its_id() {
        assert_eq!(errors("{}"), [(Id::Null, -32600)]);
        assert_eq!(errors("12"), [(Id::Null, -32600)]);
        assert_eq!(
            errors(r#"{"id":7,"method":"x"}"#),
            [(Id::Number(7), -32600)]
        );
        assert_eq!(
            errors(r#"{"jsonrpc":"1.0","id":"q","method":"x"}"#),
            [(Id::String("q".into()), -32600)]
        );
        assert_eq!(
            errors(r#"{"jsonrpc":"2.0","id":8}"#),
            [(Id::Number(8), -32600)]
        );
        assert_eq!(
            errors(r#"{"jsonrpc":"2.0","id":true,"method":"x"}"#),
            [(Id::Null, -32600)]
        );
    }

    #[test]
    fn duplicate_fields_which_upstream_refuses_are_refused() {
        let body = r#"{"jsonrpc":"2.0","method":"a","method":"b"}"#;
        assert_eq!(errors(body), [(Id::Null, -32600)]);
    }

    #[test]
    fn a_batch_is_refused_once_per_request() {
        assert_eq!(errors("[]"), [(Id::Null, -32600)]);
        let batch = r#"[{"jsonrpc":"2.0","id":1,"method":"a"},{"jsonrpc":"2.0","method":"b"},{"jsonrpc":"2.0","id":2,"method":"c"}]"#;
        assert_eq!(
            errors(batch),
            [(Id::Number(1), -32600), (Id::Number(2), -32600)]
        );
    }

    #[test]
    fn the_id_of_a_cut_body_is_found_when_it_parses() {
        assert_eq!(
            id_in(br#"{"jsonrpc":"2.0","id":5,"method":"x"}"#),
            Id::Number(5)
        );
        assert_eq!(id_in(br#"{"jsonrpc":"2.0","id":5,"met"#), Id::Null);
    }

    #[test]
    fn an_error_names_the_kind_and_the_detail() {
        let response = reject(Id::Number(1), ErrorCode::ParseError, "x".into());
        let json = serde_json::to_value(&response).unwrap_or_default();
        assert_eq!(json["error"]["message"], "Parse error: x");
        assert_eq!(json["error"]["code"], -32700);
        assert_eq!(json["id"], 1);
    }
}
