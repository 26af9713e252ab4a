package dev.jnetns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.jnetns.internal.sys.Errno;
import dev.jnetns.testing.NamedNamespaces;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Not a scenario of its own: the one exception type that scenarios 7, 8 and 9 fail with names the operation, the
 * errno's name and its text (its formats, and two real kernel failures).
 */
@Timeout(60)
class NetnsExceptionTest {

    @Test
    void formatWithErrno() {
        NetnsException e = new NetnsException("setns(net:[4026532177])", Errno.EPERM);
        assertThat(e)
                .hasMessage("setns(net:[4026532177]): EPERM (Operation not permitted)")
                .hasNoCause();
        assertThat(e.operation()).isEqualTo("setns(net:[4026532177])");
        assertThat(e.errno()).isEqualTo(1);
        assertThat(e.errnoName()).isEqualTo("EPERM");
        assertThat(e).isInstanceOf(RuntimeException.class);
    }

    @Test
    void formatWithErrnoAndDetail() {
        Throwable cause = new IllegalStateException("cause");
        NetnsException e = new NetnsException("unshare(CLONE_NEWNET)", Errno.ENOMEM, "no memory left", cause);
        assertThat(e)
                .hasMessage("unshare(CLONE_NEWNET): ENOMEM (Cannot allocate memory): no memory left")
                .hasCause(cause);
        assertThat(e.errnoName()).isEqualTo("ENOMEM");
        assertThat(new NetnsException("op", Errno.EEXIST, "", null)).hasMessage("op: EEXIST (File exists)");
    }

    @Test
    void formatWithoutErrno() {
        NetnsException e = new NetnsException("net:[1]", "handle is closed");
        assertThat(e).hasMessage("net:[1]: handle is closed");
        assertThat(e.errno()).isZero();
        assertThat(e.errnoName()).isNull();
        assertThat(new NetnsException("op", 0, null, null)).hasMessage("op: failed");
    }

    @Test
    void unknownErrnoStillReads() {
        NetnsException e = new NetnsException("op", 4095);
        assertThat(e.errnoName()).isEqualTo("errno 4095");
        assertThat(e.getMessage()).startsWith("op: errno 4095 (").contains("4095");
    }

    @Test
    void realKernelFailureCarriesItAll() {
        NamedNamespaces.assumeAvailable();
        String name = Netns.newNamed();
        try (NsFd first = NsFd.ofName(name)) {
            NetnsException e = catchThrowableOfType(() -> Netns.newNamed(name), NetnsException.class);
            assertThat(e.operation()).isEqualTo("newNamed(" + name + ")");
            assertThat(e.errno()).isEqualTo(Errno.EEXIST);
            assertThat(e.errnoName()).isEqualTo("EEXIST");
            assertThat(e.getMessage())
                    .startsWith("newNamed(" + name + "): EEXIST (File exists)")
                    .contains("/run/netns/" + name);
        } finally {
            Netns.deleteNamed(name);
        }
        NetnsException missing = catchThrowableOfType(() -> NsFd.ofPath("/nonexistent"), NetnsException.class);
        assertThat(missing.operation()).isEqualTo("open(/nonexistent)");
        assertThat(missing).hasMessage("open(/nonexistent): ENOENT (No such file or directory)");
    }

    @Test
    void errnoNamesAndTexts() {
        assertThat(Errno.name(Errno.EEXIST)).isEqualTo("EEXIST");
        assertThat(Errno.name(Errno.EBADF)).isEqualTo("EBADF");
        assertThat(Errno.name(Errno.ENOTTY)).isEqualTo("ENOTTY");
        assertThat(Errno.describe(Errno.EINVAL)).isEqualTo("EINVAL (Invalid argument)");
        assertThat(Errno.describe(Errno.EBADF)).isEqualTo("EBADF (Bad file descriptor)");
    }
}
