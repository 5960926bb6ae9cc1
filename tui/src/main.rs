fn main() -> color_eyre::eyre::Result<()> {
    ouen::cli::main()
}
