#!/usr/bin/python3
"""Record what real Linux + CPython do for the golden cases.

Run through tools/golden/record.sh (needs root: network namespaces, tcpdump, mounts).
For each case in tests/golden/cases/<case>/scenario.json it builds the topology in fresh
network namespaces (names start with "wsg-g"), captures the wire with tcpdump, runs the
programs at their start_ms as the right user, and writes tests/golden/recorded/<case>/:
capture.pcap (when frames were seen), wire.json (tools/golden/summarize.ts), output.json
and meta.json. See docs/golden.md.
"""

import argparse
import datetime
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
CASES_DIR = os.path.join(REPO, "tests", "golden", "cases")
OUT_DIR = os.path.join(REPO, "tests", "golden", "recorded")
PYTHON = "/usr/bin/python3"
USER_UID = 1000  # "default unprivileged user" of the scenario format
NS_PREFIX = "wsg-g"
CASE_TIMEOUT_S = 30.0  # hard limit for all programs of one case
SETTLE_S = 1.0  # capture time after the last program exits (delayed ACKs fire within 200 ms)
CONGESTION_CONTROL = "cubic"  # the kernel's default
OFFLOADS = ["tso", "off", "gso", "off", "gro", "off", "tx", "off", "rx", "off", "sg", "off"]
SYSCTLS = [
    "net.ipv4.ip_default_ttl",
    "net.ipv4.ip_local_port_range",
    "net.ipv4.ip_unprivileged_port_start",
    "net.ipv4.ip_no_pmtu_disc",
    "net.ipv4.tcp_rmem",
    "net.ipv4.tcp_wmem",
    "net.ipv4.tcp_timestamps",
    "net.ipv4.tcp_sack",
    "net.ipv4.tcp_window_scaling",
    "net.ipv4.tcp_ecn",
    "net.ipv4.tcp_congestion_control",
    "net.ipv4.tcp_autocorking",
    "net.ipv4.tcp_fin_timeout",
    "net.ipv4.tcp_syn_retries",
    "net.ipv4.tcp_tw_reuse",
    "net.ipv4.icmp_ratelimit",
    "net.ipv4.icmp_msgs_per_sec",
    "net.ipv6.conf.all.disable_ipv6",
]

# Runs in the program's own mount + UTS namespace (ip netns exec already made the mount
# namespace a private slave): set the host name, give the host a private /tmp shared by its
# programs, an /etc/hosts naming the scenario hosts and "hosts: files" name resolution
# (no DNS: unknown names fail at once with EAI_NONAME), then cd and exec.
WRAPPER = (
    'hostname "$1" && mount --bind "$2" /tmp && mount --bind "$3" /etc/hosts && '
    'mount --bind "$4" /etc/nsswitch.conf && cd "$5" && shift 5 && exec "$@"'
)


def log(msg):
    print("[record] " + msg, file=sys.stderr, flush=True)


def run(args, check=True, capture=False):
    r = subprocess.run(args, check=False, text=True,
                       stdout=subprocess.PIPE if capture else subprocess.DEVNULL,
                       stderr=subprocess.PIPE)
    if check and r.returncode != 0:
        raise RuntimeError("command failed (%d): %s\n%s" % (r.returncode, " ".join(args), r.stderr))
    return r.stdout if capture else r.returncode


def first_line(args):
    try:
        out = subprocess.run(args, text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT).stdout
        return out.strip().splitlines()[0] if out.strip() else ""
    except OSError:
        return ""


def mac_for(ip):
    return "02:00:" + ":".join("%02x" % int(p) for p in ip.split("."))


def our_namespaces():
    out = run(["ip", "netns", "list"], capture=True)
    return [line.split()[0] for line in out.splitlines() if line.startswith(NS_PREFIX)]


def cleanup_namespaces():
    for ns in our_namespaces():
        pids = run(["ip", "netns", "pids", ns], check=False, capture=True) or ""
        for pid in pids.split():
            try:
                os.kill(int(pid), signal.SIGKILL)
            except (ProcessLookupError, ValueError):
                pass
        run(["ip", "netns", "del", ns], check=False)


def ns_exec(ns, *args):
    return ["ip", "netns", "exec", ns] + list(args)


def setup_topology(hosts, mtu):
    """One namespace per host. Two hosts: a veth pair, eth0 in each. One host: eth0 whose
    veth peer (stub0) sits unaddressed in the same namespace. Returns [namespace]."""
    if len(hosts) not in (1, 2):
        raise RuntimeError("the recorder supports one or two hosts (got %d)" % len(hosts))
    names = []
    for i, _ in enumerate(hosts):
        ns = "%s%d" % (NS_PREFIX, i)
        run(["ip", "netns", "add", ns])
        # IPv6 off before any link exists or goes up: no DAD, RS or MLD frames.
        run(ns_exec(ns, "sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1",
                    "net.ipv6.conf.default.disable_ipv6=1"))
        # Stock Linux congestion control if this kernel lets a namespace choose it (only names
        # in the init namespace's tcp_allowed_congestion_control can be set here; otherwise the
        # namespace keeps the init namespace's default, which meta.json records).
        run(ns_exec(ns, "sysctl", "-q", "-w", "net.ipv4.tcp_congestion_control=" + CONGESTION_CONTROL),
            check=False)
        run(["ip", "-n", ns, "link", "set", "lo", "up"])
        names.append(ns)
    if len(hosts) == 2:
        run(["ip", "link", "add", "wsgtmp0", "type", "veth", "peer", "name", "wsgtmp1"])
        for i, ns in enumerate(names):
            run(["ip", "link", "set", "wsgtmp%d" % i, "netns", ns])
            run(["ip", "-n", ns, "link", "set", "wsgtmp%d" % i, "name", "eth0"])
        devs = [(names[0], "eth0"), (names[1], "eth0")]
    else:
        run(["ip", "link", "add", "wsgtmp0", "type", "veth", "peer", "name", "wsgtmp1"])
        run(["ip", "link", "set", "wsgtmp0", "netns", names[0]])
        run(["ip", "link", "set", "wsgtmp1", "netns", names[0]])
        run(["ip", "-n", names[0], "link", "set", "wsgtmp0", "name", "eth0"])
        run(["ip", "-n", names[0], "link", "set", "wsgtmp1", "name", "stub0"])
        devs = [(names[0], "eth0"), (names[0], "stub0")]
    for ns, dev in devs:
        run(["ip", "-n", ns, "link", "set", dev, "mtu", str(mtu)])
        run(ns_exec(ns, "ethtool", "-K", dev, *OFFLOADS), check=False)
    for i, h in enumerate(hosts):
        ns = names[i]
        run(["ip", "-n", ns, "link", "set", "eth0", "address", mac_for(h["ip"])])
        run(["ip", "-n", ns, "addr", "add", "%s/%d" % (h["ip"], prefix_len(h)), "dev", "eth0"])
    for ns, dev in devs:
        run(["ip", "-n", ns, "link", "set", dev, "up"])
    # Wait for carrier on eth0 everywhere.
    deadline = time.time() + 5
    while time.time() < deadline:
        if all("LOWER_UP" in run(["ip", "-n", ns, "link", "show", dev], capture=True) for ns, dev in devs):
            break
        time.sleep(0.05)
    return names


def prefix_len(host):
    mask = host.get("netmask", "255.255.255.0")
    return sum(bin(int(p)).count("1") for p in mask.split("."))


def offload_state(ns, dev):
    out = run(ns_exec(ns, "ethtool", "-k", dev), capture=True, check=False) or ""
    keep = ("tcp-segmentation-offload", "generic-segmentation-offload", "generic-receive-offload",
            "tx-checksumming", "rx-checksumming", "scatter-gather")
    state = {}
    for line in out.splitlines():
        k, _, v = line.partition(":")
        if k.strip() in keep:
            state[k.strip()] = v.strip()
    return state


def qdisc_of(ns, dev):
    toks = run(["ip", "-n", ns, "link", "show", dev], capture=True).split()
    return toks[toks.index("qdisc") + 1] if "qdisc" in toks else ""


def read_sysctls(ns):
    vals = {}
    for key in SYSCTLS:
        out = run(ns_exec(ns, "sysctl", "-n", key), capture=True, check=False)
        vals[key] = " ".join((out or "").split())
    return vals


def start_capture(ns, iface, pcap_path):
    proc = subprocess.Popen(
        ns_exec(ns, "tcpdump", "-i", iface, "-w", pcap_path, "-U", "-nn", "-p", "-s", "0", "-Z", "root"),
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 10
    banner = []
    while time.time() < deadline:
        line = proc.stderr.readline()
        if not line:
            break
        banner.append(line.rstrip())
        if "listening on" in line:
            time.sleep(0.2)
            return proc
    proc.kill()
    raise RuntimeError("tcpdump did not start: " + "\n".join(banner))


def stop_capture(proc):
    proc.send_signal(signal.SIGINT)
    try:
        _, err = proc.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        _, err = proc.communicate()
    stats = {}
    for line in (err or "").splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[0].isdigit() and "packet" in line:
            stats[" ".join(parts[1:])] = int(parts[0])
    return stats


def program_key(host, prog_file, several):
    return "%s/%s" % (host["name"], prog_file) if several else host["name"]


def record_case(case, out_dir, work_root):
    case_dir = os.path.join(CASES_DIR, case)
    with open(os.path.join(case_dir, "scenario.json")) as f:
        scenario = json.load(f)
    hosts = scenario["hosts"]
    mtu = int(scenario.get("link", {}).get("mtu", 1500))
    cleanup_namespaces()
    work = tempfile.mkdtemp(prefix=case + ".", dir=work_root)
    os.chmod(work, 0o755)
    os.makedirs(out_dir, exist_ok=True)
    for name in ("capture.pcap", "wire.json", "output.json", "meta.json"):
        if os.path.exists(os.path.join(out_dir, name)):
            os.unlink(os.path.join(out_dir, name))

    etc_hosts = os.path.join(work, "hosts")
    with open(etc_hosts, "w") as f:
        f.write("127.0.0.1\tlocalhost\n")
        for h in hosts:
            f.write("%s\t%s\n" % (h["ip"], h["name"]))
    nsswitch = os.path.join(work, "nsswitch.conf")
    with open(nsswitch, "w") as f:
        f.write("passwd: files\ngroup: files\nshadow: files\nhosts: files\nservices: files\nprotocols: files\n")
    os.chmod(etc_hosts, 0o644)
    os.chmod(nsswitch, 0o644)

    names = setup_topology(hosts, mtu)
    try:
        if len(hosts) == 2:
            cap_idx = next((i for i, h in enumerate(hosts) if h["name"] == "server"), 0)
            cap_ns, cap_if = names[cap_idx], "eth0"
            cap_host = hosts[cap_idx]["name"]
        else:
            cap_ns, cap_if, cap_host = names[0], "lo", hosts[0]["name"]
        pcap = os.path.join(work, "capture.pcap")

        # Programs, in order of start_ms (stable: host order, then program order).
        launches = []
        for i, h in enumerate(hosts):
            progs = h.get("programs", [])
            host_tmp = os.path.join(work, h["name"] + "-tmp")
            os.makedirs(host_tmp)
            os.chmod(host_tmp, 0o1777)
            for j, p in enumerate(progs):
                cwd = os.path.join(work, "%s-%d" % (h["name"], j))
                os.makedirs(cwd)
                for fn in os.listdir(case_dir):
                    if fn.endswith(".py"):
                        shutil.copy(os.path.join(case_dir, fn), cwd)
                if "path" in p:
                    prog_file = os.path.basename(p["path"])
                    shutil.copy(os.path.join(case_dir, p["path"]), os.path.join(cwd, prog_file))
                else:
                    prog_file = "inline-%d.py" % j
                    with open(os.path.join(cwd, prog_file), "w") as f:
                        f.write(p["code"])
                user = p.get("user", "user")
                if user != "root":
                    for root_, dirs, files in os.walk(cwd):
                        for x in dirs + files:
                            os.chown(os.path.join(root_, x), USER_UID, USER_UID)
                    os.chown(cwd, USER_UID, USER_UID)
                launches.append({
                    "start_ms": float(p.get("start_ms", 0)), "ns": names[i], "host": h, "cwd": cwd,
                    "tmp": host_tmp, "file": prog_file, "args": [str(a) for a in p.get("args", [])],
                    "user": "root" if user == "root" else "uid %d" % USER_UID,
                    "key": program_key(h, prog_file, len(progs) > 1), "order": (i, j),
                })
        launches.sort(key=lambda x: x["start_ms"])

        cap = start_capture(cap_ns, cap_if, pcap)
        t0 = time.monotonic()
        running = []
        for L in launches:
            delay = t0 + L["start_ms"] / 1000.0 - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            cmd = ns_exec(L["ns"], "unshare", "--uts", "/bin/sh", "-c", WRAPPER, "sh",
                          L["host"]["name"], L["tmp"], etc_hosts, nsswitch, L["cwd"])
            if L["user"] != "root":
                cmd += ["setpriv", "--reuid=%d" % USER_UID, "--regid=%d" % USER_UID, "--clear-groups"]
            cmd += ["/usr/bin/env", "-i", "PATH=/usr/local/bin:/usr/bin:/bin", "HOME=" + L["cwd"],
                    "LANG=C.UTF-8", "PYTHONDONTWRITEBYTECODE=1", PYTHON, L["file"]] + L["args"]
            L["stdout"] = open(os.path.join(work, L["key"].replace("/", "__") + ".stdout"), "w+b")
            L["stderr"] = open(os.path.join(work, L["key"].replace("/", "__") + ".stderr"), "w+b")
            L["proc"] = subprocess.Popen(cmd, stdout=L["stdout"], stderr=L["stderr"], stdin=subprocess.DEVNULL)
            running.append(L)

        deadline = t0 + CASE_TIMEOUT_S
        timed_out = []
        for L in running:
            try:
                L["proc"].wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                timed_out.append(L["key"])
                L["proc"].send_signal(signal.SIGINT)
                try:
                    L["proc"].wait(timeout=2)
                except subprocess.TimeoutExpired:
                    L["proc"].kill()
                    L["proc"].wait()
        time.sleep(SETTLE_S)
        stats = stop_capture(cap)

        output = {}
        programs_meta = []
        for L in launches:
            lines = []
            for stream, prefix in (("stdout", ""), ("stderr", "stderr: ")):
                L[stream].seek(0)
                text = L[stream].read().decode("utf-8", "replace")
                L[stream].close()
                lines += [prefix + line for line in text.splitlines()]
            output[L["key"]] = lines
            programs_meta.append({"key": L["key"], "file": L["file"], "user": L["user"],
                                  "start_ms": L["start_ms"], "exit_code": L["proc"].returncode,
                                  "timed_out": L["key"] in timed_out})
        # Keep output.json in scenario order (hosts, then their programs).
        ordered = {L["key"]: output[L["key"]] for L in sorted(launches, key=lambda x: x["order"])}

        packets = stats.get("packets captured", -1)
        if packets != 0:
            shutil.copy(pcap, os.path.join(out_dir, "capture.pcap"))
        summarize(pcap, os.path.join(case_dir, "scenario.json"), os.path.join(out_dir, "wire.json"))

        with open(os.path.join(out_dir, "output.json"), "w") as f:
            json.dump(ordered, f, indent=2)
            f.write("\n")
        meta = {
            "case": case,
            "recorded_at": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "kernel": os.uname().release,
            "python": first_line([PYTHON, "--version"]),
            "python_path": PYTHON,
            "tcpdump": first_line(["tcpdump", "--version"]),
            "libpcap": (subprocess.run(["tcpdump", "--version"], text=True, stdout=subprocess.PIPE,
                                       stderr=subprocess.STDOUT).stdout.splitlines() + ["", ""])[1],
            "capture": {"host": cap_host, "interface": cap_if, "frames": packets,
                        "tcpdump_stats": stats, "file": "capture.pcap" if packets != 0 else None},
            "topology": {
                "hosts": [{"name": h["name"], "ip": h["ip"], "prefix_len": prefix_len(h),
                           "mac": mac_for(h["ip"]), "namespace": names[i]} for i, h in enumerate(hosts)],
                "link": "veth pair" if len(hosts) == 2 else "single namespace (veth eth0 + unaddressed peer)",
                "mtu": mtu,
                "latency_emulated": False,
                "offloads": offload_state(names[0], "eth0"),
                "qdisc": qdisc_of(names[0], "eth0"),
                "congestion_control_requested": CONGESTION_CONTROL,
            },
            "sysctls": read_sysctls(names[0]),
            "programs": programs_meta,
        }
        with open(os.path.join(out_dir, "meta.json"), "w") as f:
            json.dump(meta, f, indent=2)
            f.write("\n")
        if timed_out:
            log("%s: TIMED OUT: %s" % (case, ", ".join(timed_out)))
        return meta
    finally:
        cleanup_namespaces()
        shutil.rmtree(work, ignore_errors=True)


def summarize(pcap, scenario, out_path):
    with open(out_path, "w") as f:
        r = subprocess.run(["npx", "--no-install", "tsx", os.path.join(HERE, "summarize.ts"), pcap, scenario],
                           cwd=REPO, stdout=f, stderr=subprocess.PIPE, text=True)
    if r.returncode != 0:
        raise RuntimeError("summarize.ts failed:\n" + r.stderr)


def compare(a_dir, b_dir):
    """Differences between two recordings of a case (significant wire fields and output)."""
    diffs = []
    r = subprocess.run(["npx", "--no-install", "tsx", os.path.join(HERE, "compare.ts"),
                        os.path.join(a_dir, "wire.json"), os.path.join(b_dir, "wire.json")],
                       cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if r.returncode != 0:
        diffs.append("wire: " + r.stdout.strip())
    with open(os.path.join(a_dir, "output.json")) as f:
        oa = json.load(f)
    with open(os.path.join(b_dir, "output.json")) as f:
        ob = json.load(f)
    if oa != ob:
        diffs.append("output: %s != %s" % (json.dumps(oa), json.dumps(ob)))
    return diffs


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("cases", nargs="*", help="case names (default: all in tests/golden/cases)")
    ap.add_argument("--runs", type=int, default=1,
                    help="record each case N times and report differences; the last run is kept")
    ap.add_argument("--out", default=OUT_DIR, help="output root (default tests/golden/recorded)")
    args = ap.parse_args()
    if os.geteuid() != 0:
        sys.exit("record.sh needs root (network namespaces, tcpdump, mounts): sudo tools/golden/record.sh")
    for tool in ("ip", "tcpdump", "ethtool", "setpriv", "unshare", PYTHON):
        if shutil.which(tool) is None:
            sys.exit("missing tool: %s (apt-get install iproute2 tcpdump ethtool util-linux python3)" % tool)
    cases = args.cases or sorted(d for d in os.listdir(CASES_DIR)
                                 if os.path.isfile(os.path.join(CASES_DIR, d, "scenario.json")))
    work_root = tempfile.mkdtemp(prefix="wsg-golden.", dir="/var/tmp")
    os.chmod(work_root, 0o755)
    unstable = []
    try:
        for case in cases:
            final = os.path.join(args.out, case)
            trial_dirs = []
            for r in range(args.runs):
                out = final if r == args.runs - 1 else os.path.join(work_root, "trial-%s-%d" % (case, r))
                record_case(case, out, work_root)
                trial_dirs.append(out)
            status = "recorded"
            if args.runs > 1:
                diffs = []
                for d in trial_dirs[:-1]:
                    diffs += compare(d, final)
                status = "stable over %d runs" % args.runs if not diffs else "UNSTABLE"
                if diffs:
                    unstable.append(case)
                    for d in diffs:
                        log("  %s: %s" % (case, d))
            log("%s: %s" % (case, status))
    finally:
        cleanup_namespaces()
        shutil.rmtree(work_root, ignore_errors=True)
    if unstable:
        log("unstable cases: " + ", ".join(unstable))
        sys.exit(1)


if __name__ == "__main__":
    main()
