//! The protocol's lifecycle rules where tower-lsp-server enforces them without saying why, or
//! not at all: a thin tower service in front of its `LspService`.
//!
//! tower-lsp-server answers a request before `initialize`, a second `initialize` and a request
//! after `shutdown` with the bare messages `Server not initialized` and `Invalid request`; a
//! notification whose params do not deserialize (a `didChange` with a negative line) it drops
//! without a word, so the document silently goes out of step; and the process it runs has no
//! way to know that `exit` came without `shutdown`, which the specification says must end with
//! status 1. This layer says what was wrong in those errors, logs dropped notifications, and
//! records how the session ended ([`Ending`]). Everything else passes through unchanged.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};

use serde::de::DeserializeOwned;
use serde_json::Value;
use tower_lsp_server::jsonrpc::{Error, ErrorCode, Id, Request, Response};
use tower_lsp_server::ls_types::*;
use tower_lsp_server::Client;
use tower_service::Service;

/// What the session has been through, shared with whoever runs the server.
#[derive(Debug, Default)]
pub struct Ending {
    /// An `initialize` request has gone to the inner service and has not failed: every other
    /// is answered here (see [`Protocol`]).
    initialize_claimed: AtomicBool,
    initialized: AtomicBool,
    shut_down: AtomicBool,
    exited: AtomicBool,
}

impl Ending {
    /// Whether the session ended as the specification wants: not by an `exit` that came
    /// without `shutdown` (an end of input is no protocol violation).
    pub fn clean(&self) -> bool {
        !self.exited.load(Ordering::Relaxed) || self.shut_down.load(Ordering::Relaxed)
    }
}

/// `inner` (tower-lsp-server's service) with the lifecycle's errors explained.
pub struct Protocol<S> {
    inner: S,
    client: Client,
    ending: Arc<Ending>,
}

impl<S> Protocol<S> {
    /// Wraps `inner`, logging to `client` and recording into `ending`.
    pub fn new(inner: S, client: Client, ending: Arc<Ending>) -> Protocol<S> {
        Protocol {
            inner,
            client,
            ending,
        }
    }
}

type Answer<E> = Pin<Box<dyn Future<Output = Result<Option<Response>, E>> + Send>>;

impl<S> Service<Request> for Protocol<S>
where
    S: Service<Request, Response = Option<Response>>,
    S::Future: Send + 'static,
    S::Error: Send + 'static,
{
    type Response = Option<Response>;
    type Error = S::Error;
    type Future = Answer<S::Error>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request) -> Self::Future {
        let method = request.method().to_owned();
        let ending = self.ending.clone();
        let initialized = ending.initialized.load(Ordering::Relaxed);
        let shut_down = ending.shut_down.load(Ordering::Relaxed);
        match method.as_str() {
            "exit" => ending.exited.store(true, Ordering::Relaxed),
            // The inner service makes the same decision at the same moment (on call).
            "shutdown" if initialized && !shut_down => {
                ending.shut_down.store(true, Ordering::Relaxed)
            }
            _ => {}
        }
        let is_request = request.id().is_some();
        let id = request.id().cloned();
        if method == "initialize" {
            if let Some(early) = self.initialize_only_once(id.clone()) {
                return early;
            }
        }
        // Notifications are dropped before `initialize` and after `shutdown` by the spec;
        // in between, one whose params do not deserialize is dropped too, and that is logged.
        let unreadable = (!is_request && initialized && !shut_down)
            .then(|| unreadable_params(&method, request.params()))
            .flatten();
        let answer = self.inner.call(request);
        let client = self.client.clone();
        Box::pin(async move {
            if let Some(why) = unreadable {
                client
                    .log_message(
                        MessageType::ERROR,
                        format!("dossier: ignored a {method} notification whose params are invalid: {why}"),
                    )
                    .await;
            }
            let response = answer.await?;
            if method == "initialize" {
                if response.as_ref().is_some_and(Response::is_ok) {
                    ending.initialized.store(true, Ordering::Relaxed);
                } else {
                    // A failed `initialize` may be sent again.
                    ending.initialize_claimed.store(false, Ordering::Relaxed);
                }
            }
            let response = match (response, id) {
                (None, Some(id)) => Some(unanswered(id, &method)),
                (response, _) => response,
            };
            Ok(response.map(|r| explain(r, &method, initialized, shut_down)))
        })
    }
}

impl<S> Protocol<S> {
    /// Lets only the first `initialize` request through to tower-lsp-server, and no
    /// `initialize` notification: returns the answer to any other, or `None` for the one that
    /// may pass (whose request `id` is given; `None` for a notification).
    ///
    /// tower-lsp-server lets every `initialize` through while its state is "uninitialized",
    /// and sets that state only when the answer comes: two `initialize` requests in a row both
    /// reach the server, and when either fails (bad params), or when an `initialize`
    /// *notification* is answered (with nothing, which it counts as a failure), it sets the
    /// state back to "uninitialized" — after the other succeeded, and every request from then
    /// on is answered "Server not initialized". (Read in tower-lsp-server 0.23's
    /// `InitializeService`; `tests/lsp_hostile.rs` shows the second request reaching it.)
    fn initialize_only_once(&self, id: Option<Id>) -> Option<Answer<S::Error>>
    where
        S: Service<Request, Response = Option<Response>>,
        S::Error: Send + 'static,
    {
        let client = self.client.clone();
        let Some(id) = id else {
            return Some(Box::pin(async move {
                client
                    .log_message(
                        MessageType::ERROR,
                        "dossier: ignored an initialize notification: `initialize` is a request, sent with an id",
                    )
                    .await;
                Ok(None)
            }));
        };
        let first = self
            .ending
            .initialize_claimed
            .compare_exchange(false, true, Ordering::Relaxed, Ordering::Relaxed)
            .is_ok();
        if first {
            return None;
        }
        let error = Error {
            code: ErrorCode::InvalidRequest,
            message: "the server is initialized already, or an `initialize` is under way: `initialize` may be sent only once".into(),
            data: None,
        };
        Some(Box::pin(async move {
            Ok(Some(Response::from_error(id, error)))
        }))
    }
}

/// The answer to request `id` of `method`, which tower-lsp-server left unanswered: it drops
/// its "method not found" for methods that begin with `$/`, as the specification says for
/// *notifications*; but a request must be answered, and for those it wants that very error.
/// Found by the `server` fuzz target (fuzz/).
fn unanswered(id: Id, method: &str) -> Response {
    let (code, message) = if method.starts_with("$/") {
        (
            ErrorCode::MethodNotFound,
            format!("the server does not handle {method}"),
        )
    } else {
        (
            ErrorCode::InternalError,
            format!("the server had no answer to {method}"),
        )
    };
    Response::from_error(
        id,
        Error {
            code,
            message: message.into(),
            data: None,
        },
    )
}

/// Why the params of notification `method` do not deserialize into what its handler takes,
/// for the notifications the server handles.
fn unreadable_params(method: &str, params: Option<&Value>) -> Option<String> {
    // Read from the borrowed value, so that a `didOpen` of a large article is not copied
    // once more (a `didChange` is on every keystroke).
    fn check<P: DeserializeOwned>(params: Option<&Value>) -> Option<String> {
        P::deserialize(params.unwrap_or(&Value::Null))
            .err()
            .map(|e| e.to_string())
    }
    match method {
        "textDocument/didOpen" => check::<DidOpenTextDocumentParams>(params),
        "textDocument/didChange" => check::<DidChangeTextDocumentParams>(params),
        "textDocument/didSave" => check::<DidSaveTextDocumentParams>(params),
        "textDocument/didClose" => check::<DidCloseTextDocumentParams>(params),
        "workspace/didChangeWatchedFiles" => check::<DidChangeWatchedFilesParams>(params),
        _ => None,
    }
}

/// `response` with the lifecycle errors of tower-lsp-server saying what was wrong. The
/// state is the one the request found.
fn explain(response: Response, method: &str, initialized: bool, shut_down: bool) -> Response {
    let Some(error) = response.error() else {
        return response;
    };
    let message = match error.code {
        ErrorCode::ServerError(-32002) => {
            format!("the server is not initialized yet: send `initialize` before {method}")
        }
        ErrorCode::InvalidRequest if method == "initialize" && initialized => {
            "the server is initialized already: `initialize` may be sent only once".to_owned()
        }
        ErrorCode::InvalidRequest if shut_down => {
            format!("the server has shut down: after `shutdown` it takes only `exit`, not {method}")
        }
        _ => return response,
    };
    let (id, result) = response.into_parts();
    match result {
        Err(mut error) => {
            error.message = message.into();
            Response::from_error(id, error)
        }
        Ok(value) => Response::from_ok(id, value),
    }
}
