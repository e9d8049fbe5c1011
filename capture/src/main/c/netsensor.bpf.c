// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel-side process attribution: records which process owns a socket at the moment it is connected,
 * accepted, put to listen or first used for a UDP send, and what each process is (exec, fork, exit), so
 * that a process that lives for a millisecond is still attributed. CO-RE: built once against the
 * build machine's vmlinux.h, relocated by libbpf to the running kernel's BTF.
 *
 * Only BTF tracepoints (tp_btf), the root cgroup's socket-ops hook and a task_file iterator are needed:
 * none of them needs kprobes (compiled out on the machines this was written on), a mounted tracefs, or
 * BPF trampolines (fentry/fexit, refused there with EPERM). The one trampoline program, the accept hook,
 * is optional: the loader drops it where it cannot load.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include "records.h"

char LICENSE[] SEC("license") = "GPL";

#define AF_INET 2
#define AF_INET6 10
#define IPPROTO_TCP 6
#define IPPROTO_UDP 17
#define TCP_LISTEN 10
#define TCP_ESTABLISHED 1
/* A UDP socket is re-reported after this long even when unchanged, so the agent's table never forgets
 * a long-lived socket (its entries age out). */
#define UDP_REPORT_AGAIN_NS (30ULL * 1000000000ULL)

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 8 << 20);
} events SEC(".maps");

/* 0: records lost because the ring buffer was full; 1: UDP sends deduplicated. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} counters SEC(".maps");

struct udp_seen {
	__u32 tgid;
	__u16 lport;
	__u16 rport;
	__u32 raddr_hash;
	__u32 pad;
	__u64 ts;
};

/* Per UDP socket: what was last reported, so a busy UDP server or client costs one lookup per send. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 65536);
	__type(key, __u64);
	__type(value, struct udp_seen);
} udp_reported SEC(".maps");

/* The agent's own tgid: its sockets are not reported (set by the loader before attaching). */
const volatile __u32 ignore_tgid = 0;

/*
 * Wakeups of the loader: one per record costs more than the record (waking a task from a BPF program
 * queues an irq_work, a self-IPI, and on a virtual machine an exit to the hypervisor). So a record wakes the
 * loader only when the last wakeup is at least WAKEUP_EVERY_NS old: each record of a quiet host still
 * wakes it at once, and at 10 k records/s it is woken 500 times a second. The loader also drains the ring
 * at every poll timeout (10 ms), which bounds how long a record submitted without a wakeup can wait.
 * Racy across CPUs on purpose: a lost update costs an extra wakeup, nothing else.
 */
#define WAKEUP_EVERY_NS 2000000ULL
__u64 last_wakeup_ns = 0;

static __always_inline void submit(void *r, __u64 now)
{
	if (now - last_wakeup_ns >= WAKEUP_EVERY_NS) {
		last_wakeup_ns = now;
		bpf_ringbuf_submit(r, BPF_RB_FORCE_WAKEUP);
	} else {
		bpf_ringbuf_submit(r, BPF_RB_NO_WAKEUP);
	}
}

static __always_inline void count(__u32 which)
{
	__u64 *v = bpf_map_lookup_elem(&counters, &which);
	if (v)
		*v += 1;
}

/* The IPv4 address pair of sk as ::ffff:a.b.c.d; an unset address stays the any address (all zero). */
static __always_inline void fill_v4_addrs(struct ns_socket *r, struct sock *sk)
{
	__u32 l = BPF_CORE_READ(sk, __sk_common.skc_rcv_saddr);
	__u32 d = BPF_CORE_READ(sk, __sk_common.skc_daddr);
	__builtin_memset(r->laddr, 0, 16);
	__builtin_memset(r->raddr, 0, 16);
	r->laddr[10] = 0xff;
	r->laddr[11] = 0xff;
	r->raddr[10] = 0xff;
	r->raddr[11] = 0xff;
	__builtin_memcpy(&r->laddr[12], &l, 4);
	__builtin_memcpy(&r->raddr[12], &d, 4);
	if (l == 0)
		__builtin_memset(r->laddr, 0, 16); /* unbound: the any address, not ::ffff:0.0.0.0 */
	if (d == 0)
		__builtin_memset(r->raddr, 0, 16);
}

/* :: or ::ffff:a.b.c.d: an address an AF_INET6 socket talking IPv4 may carry. */
static __always_inline bool unspecified_or_v4_mapped(const __u8 *a)
{
	for (int i = 0; i < 10; i++)
		if (a[i])
			return false;
	return (a[10] == 0xff && a[11] == 0xff) || (a[10] | a[11] | a[12] | a[13] | a[14] | a[15]) == 0;
}

/*
 * Fills the address pair of sk as IPv6 (IPv4 as ::ffff:a.b.c.d); false for other families.
 * A dual-stack AF_INET6 socket talking IPv4 (Java's sockets, servers bound to [::]) is IPv4 on the wire,
 * and when tcp_connect() runs inside tcp_v4_connect its IPv6 local address is still :: (it is set to the
 * v4-mapped address after tcp_v4_connect returns) while skc_daddr and skc_rcv_saddr hold the IPv4 pair.
 * Such a socket is reported by its IPv4 fields, as the packets show it. A pure IPv6 peer is never :: or
 * v4-mapped.
 */
static __always_inline bool fill_addrs(struct ns_socket *r, struct sock *sk)
{
	__u16 family = BPF_CORE_READ(sk, __sk_common.skc_family);
	if (family == AF_INET) {
		fill_v4_addrs(r, sk);
	} else if (family == AF_INET6) {
		/* Read as whole in6_addrs: BPF_CORE_READ_INTO reads sizeof(*dst) bytes, one for a __u8 array. */
		BPF_CORE_READ_INTO((struct in6_addr *)r->laddr, sk, __sk_common.skc_v6_rcv_saddr);
		BPF_CORE_READ_INTO((struct in6_addr *)r->raddr, sk, __sk_common.skc_v6_daddr);
		if (unspecified_or_v4_mapped(r->raddr) && unspecified_or_v4_mapped(r->laddr)
		    && BPF_CORE_READ(sk, __sk_common.skc_daddr) != 0)
			fill_v4_addrs(r, sk);
	} else {
		return false;
	}
	r->lport = BPF_CORE_READ(sk, __sk_common.skc_num);
	r->rport = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
	return true;
}

/*
 * Sends a socket record owned by the current task. The task's fields are read from task_struct rather
 * than through the get_current_* helpers, because the socket-ops program type does not have all of them.
 */
static __always_inline int report_socket(struct sock *sk, __u8 how, __u8 proto, __u8 flags)
{
	struct task_struct *task = bpf_get_current_task_btf();
	__u32 tgid = BPF_CORE_READ(task, tgid);
	if (tgid == ignore_tgid)
		return 0;
	struct ns_socket *r = bpf_ringbuf_reserve(&events, sizeof(*r), 0);
	if (!r) {
		count(0);
		return 0;
	}
	if (!fill_addrs(r, sk)) {
		bpf_ringbuf_discard(r, 0);
		return 0;
	}
	r->kind = NS_REC_SOCKET;
	r->how = how;
	r->proto = proto;
	r->flags = flags;
	r->pad0 = 0;
	r->tgid = tgid;
	r->pid = BPF_CORE_READ(task, pid);
	r->uid = BPF_CORE_READ(task, cred, uid.val);
	r->netns = BPF_CORE_READ(sk, __sk_common.skc_net.net, ns.inum);
	r->pad1 = 0;
	r->cgroup = BPF_CORE_READ(task, cgroups, dfl_cgrp, kn, id);
	r->ts = bpf_ktime_get_boot_ns();
	bpf_probe_read_kernel_str(r->comm, sizeof(r->comm), task->comm);
	if (flags & NS_FLAG_ANY_REMOTE) {
		__builtin_memset(r->raddr, 0, 16);
		r->rport = 0;
	}
	submit(r, r->ts);
	return 0;
}

/*
 * TCP connect, from tcp_connect() through the socket-ops hook of the root cgroup (every socket of the
 * host is under it): the source port is chosen, the SYN is about to be sent, and the current task is
 * the connecting process. Socket ops rather than fentry/tcp_connect: BPF trampolines (fentry, fexit,
 * LSM) are refused by some kernels (EPERM), socket ops and BTF tracepoints are not.
 */
SEC("sockops")
int tcp_connect_ops(struct bpf_sock_ops *ops)
{
	if (ops->op != BPF_SOCK_OPS_TCP_CONNECT_CB)
		return 1;
	struct bpf_sock *bs = ops->sk;
	if (!bs)
		return 1;
	struct tcp_sock *tp = bpf_skc_to_tcp_sock(bs);
	if (!tp)
		return 1;
	report_socket((struct sock *)tp, NS_HOW_CONNECT, IPPROTO_TCP, 0);
	return 1;
}

/* accept() returned a socket: the accepting process owns it (arity differs between kernels, so the
 * return value is read with bpf_get_func_ret rather than as a fixed argument). Optional: where BPF
 * trampolines are refused, an inbound connection is attributed to the listener's owner instead. */
SEC("fexit/inet_csk_accept")
int accept_exit(__u64 *ctx)
{
	__u64 ret = 0;
	if (bpf_get_func_ret(ctx, &ret) || !ret)
		return 0;
	struct sock *sk = (struct sock *)ret;
	if (BPF_CORE_READ(sk, sk_protocol) != IPPROTO_TCP)
		return 0;
	return report_socket(sk, NS_HOW_ACCEPT, IPPROTO_TCP, 0);
}

/* listen(): until accept() runs, an inbound connection is attributed to the listener's owner. */
SEC("tp_btf/inet_sock_set_state")
int BPF_PROG(set_state, struct sock *sk, int oldstate, int newstate)
{
	if (newstate != TCP_LISTEN || BPF_CORE_READ(sk, sk_protocol) != IPPROTO_TCP)
		return 0;
	return report_socket(sk, NS_HOW_LISTEN, IPPROTO_TCP, NS_FLAG_ANY_REMOTE);
}

/*
 * Every sendmsg() of every socket passes here after sending (so an unbound UDP socket has its port):
 * anything but UDP returns at once, and a UDP socket is reported only when its owner, port or peer
 * changed since the last report, so a busy UDP server or client costs one map lookup per send.
 */
SEC("tp_btf/sock_send_length")
int BPF_PROG(send_length, struct sock *sk, int ret, int flags)
{
	if (ret <= 0 || BPF_CORE_READ(sk, sk_protocol) != IPPROTO_UDP)
		return 0;
	__u16 family = BPF_CORE_READ(sk, __sk_common.skc_family);
	if (family != AF_INET && family != AF_INET6)
		return 0;
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	if (tgid == ignore_tgid)
		return 0;
	bool connected = BPF_CORE_READ(sk, __sk_common.skc_state) == TCP_ESTABLISHED;
	struct udp_seen now = {};
	now.tgid = tgid;
	now.lport = BPF_CORE_READ(sk, __sk_common.skc_num);
	if (connected) {
		now.rport = BPF_CORE_READ(sk, __sk_common.skc_dport);
		now.raddr_hash = BPF_CORE_READ(sk, __sk_common.skc_daddr)
			^ BPF_CORE_READ(sk, __sk_common.skc_v6_daddr.in6_u.u6_addr32[3]);
	}
	now.ts = bpf_ktime_get_boot_ns();
	__u64 key = (__u64)sk;
	struct udp_seen *seen = bpf_map_lookup_elem(&udp_reported, &key);
	if (seen && seen->tgid == now.tgid && seen->lport == now.lport && seen->rport == now.rport
	    && seen->raddr_hash == now.raddr_hash && now.ts - seen->ts < UDP_REPORT_AGAIN_NS) {
		count(1);
		return 0;
	}
	bpf_map_update_elem(&udp_reported, &key, &now, BPF_ANY);
	/* An unconnected socket sends to anyone: reported once, matching any remote. */
	return report_socket(sk, NS_HOW_UDP_SEND, IPPROTO_UDP, connected ? 0 : NS_FLAG_ANY_REMOTE);
}

/* kernfs_node's parent is "__parent" since 6.15 and "parent" before: CO-RE picks the one the kernel has. */
struct kernfs_node___old {
	struct kernfs_node *parent;
} __attribute__((preserve_access_index));

static __always_inline struct kernfs_node *kn_parent(struct kernfs_node *kn)
{
	if (bpf_core_field_exists(kn->__parent))
		return BPF_CORE_READ(kn, __parent);
	return BPF_CORE_READ((struct kernfs_node___old *)kn, parent);
}

static __always_inline void cgroup_names(struct ns_exec *r, struct task_struct *task)
{
	struct cgroup *cg = BPF_CORE_READ(task, cgroups, dfl_cgrp);
	if (cg && BPF_CORE_READ(cg, level) == 0) {
		/* cgroup v1 or hybrid: containers show in the v1 hierarchies; the memory one is always there */
		int id = bpf_core_enum_value(enum cgroup_subsys_id, memory_cgrp_id);
		struct cgroup_subsys_state *css = NULL;
		if (id >= 0 && id < 16) {
			struct css_set *cs = BPF_CORE_READ(task, cgroups);
			bpf_core_read(&css, sizeof(css), &cs->subsys[id]);
		}
		if (css)
			cg = BPF_CORE_READ(css, cgroup);
	}
	r->cgroup_name[0] = 0;
	r->cgroup_parent[0] = 0;
	if (!cg)
		return;
	struct kernfs_node *kn = BPF_CORE_READ(cg, kn);
	if (!kn)
		return;
	bpf_probe_read_kernel_str(r->cgroup_name, sizeof(r->cgroup_name), BPF_CORE_READ(kn, name));
	struct kernfs_node *parent = kn_parent(kn);
	if (parent)
		bpf_probe_read_kernel_str(r->cgroup_parent, sizeof(r->cgroup_parent), BPF_CORE_READ(parent, name));
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(process_exec, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	struct ns_exec *r = bpf_ringbuf_reserve(&events, sizeof(*r), 0);
	if (!r) {
		count(0);
		return 0;
	}
	r->kind = NS_REC_EXEC;
	r->tgid = BPF_CORE_READ(p, tgid);
	r->ppid = BPF_CORE_READ(p, real_parent, tgid);
	r->uid = (__u32)bpf_get_current_uid_gid();
	r->start_boottime = BPF_CORE_READ(p, start_boottime);
	r->ts = bpf_ktime_get_boot_ns();
	r->cgroup = bpf_get_current_cgroup_id();
	r->netns = BPF_CORE_READ(p, nsproxy, net_ns, ns.inum);
	r->mntns = BPF_CORE_READ(p, nsproxy, mnt_ns, ns.inum);
	bpf_get_current_comm(r->comm, sizeof(r->comm));
	/* interp: the file the kernel runs, i.e. a script's interpreter, as /proc/PID/exe shows */
	long n = bpf_probe_read_kernel_str(r->filename, sizeof(r->filename), BPF_CORE_READ(bprm, interp));
	r->filename_len = n > 0 ? n - 1 : 0;
	/* argv is on the new process's stack: user memory of the current task */
	unsigned long start = BPF_CORE_READ(p, mm, arg_start), end = BPF_CORE_READ(p, mm, arg_end);
	unsigned long len = end - start;
	if (len > NS_ARGS_LEN)
		len = NS_ARGS_LEN;
	r->args_len = 0;
	if (len > 0 && bpf_probe_read_user(r->args, len, (void *)start) == 0)
		r->args_len = len;
	cgroup_names(r, p);
	submit(r, r->ts);
	return 0;
}

SEC("tp_btf/sched_process_fork")
int BPF_PROG(process_fork, struct task_struct *parent, struct task_struct *child)
{
	if (BPF_CORE_READ(child, pid) != BPF_CORE_READ(child, tgid))
		return 0; /* a thread: the same process */
	struct ns_fork *r = bpf_ringbuf_reserve(&events, sizeof(*r), 0);
	if (!r) {
		count(0);
		return 0;
	}
	r->kind = NS_REC_FORK;
	r->parent_tgid = BPF_CORE_READ(parent, tgid);
	r->child_tgid = BPF_CORE_READ(child, tgid);
	r->uid = (__u32)bpf_get_current_uid_gid();
	r->start_boottime = BPF_CORE_READ(child, start_boottime);
	r->ts = bpf_ktime_get_boot_ns();
	submit(r, r->ts);
	return 0;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(process_exit, struct task_struct *p)
{
	/* once per process: when its last thread leaves (signal->live has dropped to 0 by now) */
	if (BPF_CORE_READ(p, signal, live.counter) != 0)
		return 0;
	struct ns_exit *r = bpf_ringbuf_reserve(&events, sizeof(*r), 0);
	if (!r) {
		count(0);
		return 0;
	}
	r->kind = NS_REC_EXIT;
	r->tgid = BPF_CORE_READ(p, tgid);
	r->start_boottime = BPF_CORE_READ(p, group_leader, start_boottime);
	r->ts = bpf_ktime_get_boot_ns();
	submit(r, r->ts);
	return 0;
}

/*
 * At start: every TCP/UDP socket that some process already holds, with that process, so connections
 * made before the agent started are attributed too (the kernel's own walk of every task's files).
 */
SEC("iter/task_file")
int existing_sockets(struct bpf_iter__task_file *ctx)
{
	struct seq_file *seq = ctx->meta->seq;
	struct task_struct *task = ctx->task;
	struct file *file = ctx->file;
	if (!task || !file)
		return 0;
	if (task->pid != task->tgid || task->tgid == ignore_tgid)
		return 0; /* threads share the leader's files */
	struct socket *sock = bpf_sock_from_file(file);
	if (!sock)
		return 0;
	struct sock *sk = BPF_CORE_READ(sock, sk);
	if (!sk)
		return 0;
	__u16 proto = BPF_CORE_READ(sk, sk_protocol);
	__u16 type = BPF_CORE_READ(sk, sk_type);
	if (!(proto == IPPROTO_TCP && type == 1 /* SOCK_STREAM */) && !(proto == IPPROTO_UDP && type == 2 /* SOCK_DGRAM */))
		return 0;
	struct ns_socket r = {};
	if (!fill_addrs(&r, sk))
		return 0;
	__u8 state = BPF_CORE_READ(sk, __sk_common.skc_state);
	r.kind = NS_REC_SOCKET;
	r.how = NS_HOW_EXISTING;
	r.proto = proto;
	r.flags = (proto == IPPROTO_TCP && state == TCP_LISTEN) || (proto == IPPROTO_UDP && state != TCP_ESTABLISHED)
		? NS_FLAG_ANY_REMOTE : 0;
	if (r.flags) {
		__builtin_memset(r.raddr, 0, 16);
		r.rport = 0;
	}
	r.tgid = task->tgid;
	r.pid = task->pid;
	r.uid = BPF_CORE_READ(task, cred, uid.val);
	r.netns = BPF_CORE_READ(sk, __sk_common.skc_net.net, ns.inum);
	struct kernfs_node *kn = BPF_CORE_READ(task, cgroups, dfl_cgrp, kn);
	r.cgroup = BPF_CORE_READ(kn, id);
	r.ts = bpf_ktime_get_boot_ns();
	bpf_probe_read_kernel_str(r.comm, sizeof(r.comm), task->comm);
	bpf_seq_write(seq, &r, sizeof(r));
	return 0;
}
