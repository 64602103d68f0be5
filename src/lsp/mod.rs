//! The language-server face: `dossier lsp`. Protocol types live only here; they are converted
//! to and from the core's at the edge ([`convert`]), and each feature has its own module.
//!
//! - [`server`]: the protocol handlers, thin, each under a panic guard;
//! - [`lifecycle`]: corpora, background indexing with progress, file watching, reloads;
//! - [`state`]: what the server knows, readable while heavy work runs;
//! - [`document`]: open documents, rescanned only around each edit;
//! - [`transport`]: the framing in front of tower-lsp-server, so that no input ends it;
//! - [`protocol`]: the lifecycle's errors explained, and how the session ended;
//! - one module per feature: [`semantic_tokens`], [`hover`], [`navigation`], [`symbols`],
//!   [`completion`], [`diagnostics`], [`inlay_hints`], [`tagging`].

pub mod completion;
pub mod convert;
pub mod diagnostics;
pub mod document;
pub mod hover;
pub mod inlay_hints;
pub mod lifecycle;
pub mod navigation;
pub mod options;
pub mod protocol;
pub mod semantic_tokens;
pub mod server;
pub mod state;
pub mod symbols;
pub mod tagging;
pub mod transport;

use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite};
use tower_lsp_server::LspService;

/// How many requests may be under way at once. tower-lsp-server reads no further message while
/// that many are (its default is 4): requests waiting for a first knowledge-base load must not
/// hold back the edits and other requests behind them.
const CONCURRENT_REQUESTS: usize = 64;

/// Serves the protocol over a pair of streams until the client says `exit` or its input
/// ends; no bytes it sends end it sooner ([`transport`]). Returns whether it ended cleanly:
/// `false` after an `exit` without `shutdown`, which the specification ends with status 1.
pub async fn serve(input: impl AsyncRead + Unpin, output: impl AsyncWrite) -> bool {
    let (service, socket) = LspService::new(server::Server::new);
    let ending = std::sync::Arc::new(protocol::Ending::default());
    let client = service.inner().client();
    let lifecycle = service.inner().lifecycle();
    let service = protocol::Protocol::new(service, client, ending.clone());
    transport::serve(input, output, |input, output| {
        tower_lsp_server::Server::new(input, output, socket)
            .concurrency_level(CONCURRENT_REQUESTS)
            .serve(service)
    })
    .await;
    // The file watcher and the task following it hold each other alive; a session that ends
    // without `shutdown` must still let go of them, or a process that serves session after
    // session (tests, the fuzzer) runs out of inotify instances.
    lifecycle.stop();
    ending.clean()
}

/// Serves the protocol on stdin and stdout: `dossier lsp`. Returns whether the session ended
/// cleanly ([`serve`]).
pub fn run_stdio() -> std::io::Result<bool> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let clean = runtime.block_on(serve(tokio::io::stdin(), tokio::io::stdout()));
    // Background indexing must not hold the process open after `exit`.
    runtime.shutdown_timeout(Duration::from_millis(200));
    Ok(clean)
}
