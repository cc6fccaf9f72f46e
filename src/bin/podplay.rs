fn main() {
    eprintln!("podplay: the CLI is being built");
    std::process::exit(2);
}
