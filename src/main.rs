fn main() -> std::process::ExitCode {
    taskforce::cli::main()
}
