//! The `dossier` command: a thin face over the library's core. It parses arguments, calls the
//! core, and prints; every rule of recognition lives in the library.

mod cli;

/// mimalloc rather than the system allocator: loading a million-entity knowledge base makes
/// millions of small strings and lists, and glibc's malloc spent seconds of it consolidating
/// and faulting pages in (`Recognizer::new` at 1M entities: 13 s → 9 s). Built as mimalloc v2
/// without transparent huge pages (Cargo.toml): v3 with huge pages let a long editing session
/// grow the server's memory by half while its live heap stayed flat.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    cli::main()
}
