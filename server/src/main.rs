fn main() -> std::process::ExitCode {
    ouen_server::cli::main()
}
