//! Bench 1: codegen time, in process (release, no cargo, no process start).
//!
//! `codegen` is what `cargo xtask codegen` does: every document of a specs
//! folder parsed, lowered to the IR, emitted as tokens, formatted by
//! prettyplease, and the files written (atomically, into a temp dir). The
//! stages are also timed one by one. Corpora:
//!
//! - `specs`: the workspace's `specs/` folder, every version;
//! - `x1`, `x10`, `x100`: 1, 10 and 100 renamed copies of the largest real
//!   document in one synthetic document (see `benchmarks::synth`), to show
//!   time is linear in spec size: the `B/s` line under each time should stay
//!   flat from `x1` to `x100`.
//!
//! `cargo bench -p benchmarks --bench codegen`

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::LazyLock;

use benchmarks::{specs_dir, synth};
use divan::Bencher;
use divan::counter::BytesCount;
use generator::emit;
use generator::ir::CratePlan;
use generator::load::{self, LoadedSpec};
use generator::lower::{self, LowerOptions, Strictness};
use generator::output;
use generator::overrides::Overrides;
use generator::project::{self, OVERRIDES_FILE, Options, SpecFile};

fn main() {
    // Build the synthetic specs before divan prints its table.
    LazyLock::force(&FIXTURE);
    divan::main();
}

const CORPORA: &[&str] = &["specs", "x1", "x10", "x100"];

/// One specs folder and everything a single stage needs as input.
struct Corpus {
    specs: PathBuf,
    files: Vec<SpecFile>,
    bytes: usize,
    overrides: Overrides,
    parsed: Vec<LoadedSpec>,
    plan: CratePlan,
    files_out: BTreeMap<String, String>,
    out: PathBuf,
}

struct Fixture {
    _dir: tempfile::TempDir,
    corpora: BTreeMap<&'static str, Corpus>,
}

static FIXTURE: LazyLock<Fixture> = LazyLock::new(|| {
    let dir = tempfile::tempdir().expect("temp dir");
    let real = specs_dir();
    let largest = synth::largest_spec(&real).expect("largest spec");
    let mut corpora = BTreeMap::new();
    for &name in CORPORA {
        let specs = match name.strip_prefix('x') {
            None => real.clone(),
            Some(copies) => {
                let copies: usize = copies.parse().expect("copies");
                synth::write_scaled(&dir.path().join(name), &real, &largest, copies)
                    .expect("synthetic spec")
                    .specs
            }
        };
        corpora.insert(name, corpus(specs, dir.path().join(format!("out-{name}"))));
    }
    eprintln!(
        "codegen corpora: largest real document {} ({} bytes); {}",
        largest.relative,
        corpora["x1"].bytes,
        corpora
            .iter()
            .map(|(name, c)| format!("{name}: {} documents, {} bytes", c.files.len(), c.bytes))
            .collect::<Vec<_>>()
            .join("; ")
    );
    Fixture { _dir: dir, corpora }
});

fn corpus(specs: PathBuf, out: PathBuf) -> Corpus {
    let files = project::discover(&specs).expect("discover");
    let bytes = files
        .iter()
        .map(|f| std::fs::metadata(&f.path).expect("spec file").len() as usize)
        .sum();
    let overrides = Overrides::load(&specs.join(OVERRIDES_FILE)).expect("overrides");
    let parsed = files
        .iter()
        .map(|f| load::load_file(&f.path).expect("parse"))
        .collect();
    let generated = project::generate(&specs, &Options::default()).expect("generate");
    assert!(generated.warnings.is_empty(), "{:?}", generated.warnings);
    let api_name = project::api_name(&overrides, &generated.versions);
    Corpus {
        specs,
        files,
        bytes,
        overrides,
        parsed,
        plan: project::crate_plan(
            &generated.versions,
            &Options::default(),
            project::CrateAbout::named(api_name),
        ),
        files_out: generated.files,
        out,
    }
}

fn get(name: &str) -> &'static Corpus {
    &FIXTURE.corpora[name]
}

/// The whole of `cargo xtask codegen`: specs folder in, crate files on disk.
#[divan::bench(args = CORPORA, sample_count = 10, sample_size = 1)]
fn codegen(bencher: Bencher, name: &str) {
    let c = get(name);
    bencher.counter(BytesCount::new(c.bytes)).bench(|| {
        let generated = project::generate(&c.specs, &Options::default()).unwrap();
        output::write_atomically(&c.out, &generated.files).unwrap();
    });
}

/// Stage 1: read and parse each document (JSON → `openapiv3::OpenAPI`).
#[divan::bench(args = CORPORA, sample_count = 10, sample_size = 1)]
fn stage1_parse(bencher: Bencher, name: &str) {
    let c = get(name);
    bencher.counter(BytesCount::new(c.bytes)).bench(|| {
        c.files
            .iter()
            .map(|f| load::load_file(&f.path).unwrap())
            .collect::<Vec<_>>()
    });
}

/// Stage 2: lower each parsed document to the IR.
#[divan::bench(args = CORPORA, sample_count = 10, sample_size = 1)]
fn stage2_lower(bencher: Bencher, name: &str) {
    let c = get(name);
    bencher.counter(BytesCount::new(c.bytes)).bench(|| {
        c.files
            .iter()
            .zip(&c.parsed)
            .map(|(f, loaded)| {
                let options = LowerOptions {
                    module: f.module.clone(),
                    source: f.relative.clone(),
                    overrides: &c.overrides,
                    strictness: Strictness::Strict,
                    method_names: None,
                };
                lower::lower(&f.path, &loaded.spec, &options).unwrap()
            })
            .collect::<Vec<_>>()
    });
}

/// Stage 3: IR → tokens → prettyplease → file texts.
#[divan::bench(args = CORPORA, sample_count = 10, sample_size = 1)]
fn stage3_emit(bencher: Bencher, name: &str) {
    let c = get(name);
    bencher
        .counter(BytesCount::new(c.bytes))
        .bench(|| emit::crate_files(&c.plan).unwrap());
}

/// Stage 4: write the files (atomic swap of the output folder).
#[divan::bench(args = CORPORA, sample_count = 10, sample_size = 1)]
fn stage4_write(bencher: Bencher, name: &str) {
    let c = get(name);
    let out = c.out.with_extension("write");
    bencher
        .counter(BytesCount::new(c.bytes))
        .bench(|| output::write_atomically(&out, &c.files_out).unwrap());
}
