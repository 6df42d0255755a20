/// Loading and importing records allocates many small strings; mimalloc keeps that fast and
/// unfragmented where glibc's allocator spent a third of the time in malloc and free.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    taskforce::cli::main()
}
