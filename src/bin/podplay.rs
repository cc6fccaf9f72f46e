//! The `podplay` command (see `podplay::cli`).

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let stdin = std::io::stdin();
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    let code = podplay::cli::main_with(&args, &mut stdin.lock(), &mut stdout.lock(), &mut stderr.lock());
    std::process::exit(code);
}
