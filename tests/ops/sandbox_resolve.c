/* sandbox_resolve: resolves host names the way librdkafka does
 * (getaddrinfo, AF_UNSPEC, AI_ADDRCONFIG) after installing the same socket
 * family restriction as the unit's RestrictAddressFamilies=AF_UNIX AF_INET
 * AF_INET6: a seccomp filter that fails socket() for any other family with
 * EAFNOSUPPORT, as systemd does. Used by tests/ops/test_systemd_unit.sh when
 * systemd is not PID 1 and systemd-run cannot apply the real sandbox.
 *
 * Usage: sandbox_resolve NAME...   exit 0 if every name resolves, 1 if not,
 *                                  77 if seccomp is unavailable here. */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <netdb.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#if defined(__x86_64__)
#define DM_AUDIT_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define DM_AUDIT_ARCH AUDIT_ARCH_AARCH64
#endif

static int restrict_families(void)
{
#ifdef DM_AUDIT_ARCH
        struct sock_filter f[] = {
            BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
            BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, DM_AUDIT_ARCH, 1, 0),
            BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
            BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
            BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_socket, 1, 0),
            BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
            BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0])),
            BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AF_UNIX, 3, 0),
            BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AF_INET, 2, 0),
            BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AF_INET6, 1, 0),
            BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (EAFNOSUPPORT & SECCOMP_RET_DATA)),
            BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
        };
        struct sock_fprog prog = {.len = (unsigned short)(sizeof(f) / sizeof(f[0])), .filter = f};
        if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
            prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog))
                return -1;
        return 0;
#else
        errno = ENOSYS;
        return -1;
#endif
}

int main(int argc, char **argv)
{
        int i, rc = 0, fd;
        if (restrict_families()) {
                fprintf(stderr, "sandbox_resolve: cannot install the seccomp filter: %s\n",
                        strerror(errno));
                return 77;
        }
        /* The filter must be in force, or the test proves nothing. */
        fd = socket(AF_NETLINK, SOCK_RAW, 0);
        if (fd >= 0 || errno != EAFNOSUPPORT) {
                fprintf(stderr, "sandbox_resolve: AF_NETLINK socket not refused\n");
                return 1;
        }
        for (i = 1; i < argc; i++) {
                struct addrinfo hints, *res = NULL, *ai;
                int e;
                memset(&hints, 0, sizeof(hints));
                hints.ai_family = AF_UNSPEC;
                hints.ai_socktype = SOCK_STREAM;
                hints.ai_protocol = IPPROTO_TCP;
                hints.ai_flags = AI_ADDRCONFIG;
                e = getaddrinfo(argv[i], "9092", &hints, &res);
                if (e) {
                        fprintf(stderr, "sandbox_resolve: %s: %s\n", argv[i], gai_strerror(e));
                        rc = 1;
                        continue;
                }
                for (ai = res; ai; ai = ai->ai_next) {
                        char buf[INET6_ADDRSTRLEN] = "?";
                        const void *a =
                            ai->ai_family == AF_INET
                                ? (const void *)&((struct sockaddr_in *)ai->ai_addr)->sin_addr
                                : (const void *)&((struct sockaddr_in6 *)ai->ai_addr)->sin6_addr;
                        inet_ntop(ai->ai_family, a, buf, sizeof(buf));
                        printf("%s %s\n", argv[i], buf);
                }
                freeaddrinfo(res);
        }
        return rc;
}
