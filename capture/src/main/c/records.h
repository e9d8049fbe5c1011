/*
 * Records the BPF programs send to the loader and the loader forwards to the agent (netsensor's
 * KernelEvents parses them: keep the two in step). Little-endian, fixed sizes, 8-byte aligned, so the
 * Java side reads fields at fixed offsets without decoding.
 */
#ifndef NETSENSOR_RECORDS_H
#define NETSENSOR_RECORDS_H

#define NS_REC_SOCKET 1   /* a socket got an owner: connect, accept, listen, first UDP send, or seen at start */
#define NS_REC_EXEC 2     /* a process image started */
#define NS_REC_FORK 3     /* a new process (not a thread) was forked: it runs its parent's executable */
#define NS_REC_EXIT 4     /* the last thread of a process exited */
#define NS_REC_CLOCK 5    /* loader: realtime - boottime, to put kernel timestamps on the capture clock */
#define NS_REC_STATS 6    /* loader: counters */
#define NS_REC_READY 7    /* loader: every program attached and the existing sockets were sent */

/* NS_REC_SOCKET's how */
#define NS_HOW_CONNECT 1
#define NS_HOW_ACCEPT 2
#define NS_HOW_LISTEN 3
#define NS_HOW_UDP_SEND 4
#define NS_HOW_EXISTING 5

/* NS_REC_SOCKET's flags */
#define NS_FLAG_ANY_REMOTE 1 /* the socket has no fixed peer (listener, unconnected UDP): matches any remote */

#define NS_COMM_LEN 16
#define NS_PATH_LEN 256
#define NS_ARGS_LEN 512
#define NS_CGROUP_NAME_LEN 128

struct ns_socket {
	__u32 kind;        /* NS_REC_SOCKET */
	__u8 how;
	__u8 proto;        /* IPPROTO_TCP / IPPROTO_UDP */
	__u8 flags;
	__u8 pad0;
	__u32 tgid;        /* the process (user-space pid) */
	__u32 pid;         /* the thread */
	__u32 uid;
	__u16 lport;       /* host order */
	__u16 rport;
	__u8 laddr[16];    /* IPv6, or IPv4-mapped ::ffff:a.b.c.d */
	__u8 raddr[16];
	__u32 netns;       /* network namespace inode */
	__u32 pad1;
	__u64 cgroup;      /* cgroup v2 id */
	__u64 ts;          /* CLOCK_BOOTTIME ns */
	char comm[NS_COMM_LEN];
};

struct ns_exec {
	__u32 kind;        /* NS_REC_EXEC */
	__u32 tgid;
	__u32 ppid;
	__u32 uid;
	__u64 start_boottime; /* task start, ns since boot: /proc/PID/stat's starttime is this in clock ticks */
	__u64 ts;
	__u64 cgroup;
	__u32 netns;
	__u32 mntns;
	__u32 filename_len;
	__u32 args_len;
	char comm[NS_COMM_LEN];
	char filename[NS_PATH_LEN];      /* the file executed (a script's interpreter), as named to execve */
	char args[NS_ARGS_LEN];          /* argv, NUL separated (truncated) */
	char cgroup_name[NS_CGROUP_NAME_LEN];   /* leaf cgroup directory name */
	char cgroup_parent[NS_CGROUP_NAME_LEN]; /* its parent's name (Podman puts a "container" leaf under libpod-ID) */
};

struct ns_fork {
	__u32 kind;        /* NS_REC_FORK */
	__u32 parent_tgid;
	__u32 child_tgid;
	__u32 uid;
	__u64 start_boottime;
	__u64 ts;
};

struct ns_exit {
	__u32 kind;        /* NS_REC_EXIT */
	__u32 tgid;
	__u64 start_boottime;
	__u64 ts;
};

/* Written by the loader only. */
struct ns_clock {
	__u32 kind;        /* NS_REC_CLOCK */
	__u32 pad;
	__s64 realtime_minus_boottime;
};

struct ns_stats {
	__u32 kind;        /* NS_REC_STATS */
	__u32 pad;
	__u64 ringbuf_drops;  /* records the kernel could not queue (ring buffer full) */
	__u64 records;        /* records forwarded */
	__u64 udp_deduped;    /* UDP sends not reported: same socket, owner and peer as already reported */
	__u64 loader_cpu_ns;  /* the loader's own CPU time (user + system) */
};

#endif
