//! The `dossier` command: a thin face over the library's core. It parses arguments, calls the
//! core, and prints; every rule of recognition lives in the library.

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
