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
use tower_lsp_server::jsonrpc::{ErrorCode, Request, Response};
use tower_lsp_server::ls_types::*;
use tower_lsp_server::Client;
use tower_service::Service;

/// What the session has been through, shared with whoever runs the server.
#[derive(Debug, Default)]
pub struct Ending {
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
            if method == "initialize" && response.as_ref().is_some_and(Response::is_ok) {
                ending.initialized.store(true, Ordering::Relaxed);
            }
            Ok(response.map(|r| explain(r, &method, initialized, shut_down)))
        })
    }
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
