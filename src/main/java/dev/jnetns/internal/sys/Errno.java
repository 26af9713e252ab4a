package dev.jnetns.internal.sys;

import java.util.HashMap;
import java.util.Map;

/**
 * Linux errno numbers and their symbolic names ({@code EPERM}, {@code EEXIST}...). The numbers are the
 * generic Linux ones shared by x86_64 and aarch64.
 */
public final class Errno {
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int EACCES = 13;
    public static final int ESRCH = 3;
    public static final int EINTR = 4;
    public static final int EBADF = 9;
    public static final int EAGAIN = 11;
    public static final int ENOMEM = 12;
    public static final int EBUSY = 16;
    public static final int EEXIST = 17;
    public static final int ENODEV = 19;
    public static final int EINVAL = 22;
    public static final int ENOTTY = 25;
    public static final int ERANGE = 34;
    public static final int ENOBUFS = 105;
    public static final int EOPNOTSUPP = 95;
    public static final int EADDRNOTAVAIL = 99;
    public static final int ENETUNREACH = 101;
    public static final int ETIMEDOUT = 110;

    private static final Map<Integer, String> NAMES = new HashMap<>();

    private static void put(int number, String name) {
        NAMES.put(number, name);
    }

    static {
        put(1, "EPERM");
        put(2, "ENOENT");
        put(3, "ESRCH");
        put(4, "EINTR");
        put(5, "EIO");
        put(6, "ENXIO");
        put(7, "E2BIG");
        put(8, "ENOEXEC");
        put(9, "EBADF");
        put(10, "ECHILD");
        put(11, "EAGAIN");
        put(12, "ENOMEM");
        put(13, "EACCES");
        put(14, "EFAULT");
        put(15, "ENOTBLK");
        put(16, "EBUSY");
        put(17, "EEXIST");
        put(18, "EXDEV");
        put(19, "ENODEV");
        put(20, "ENOTDIR");
        put(21, "EISDIR");
        put(22, "EINVAL");
        put(23, "ENFILE");
        put(24, "EMFILE");
        put(25, "ENOTTY");
        put(26, "ETXTBSY");
        put(27, "EFBIG");
        put(28, "ENOSPC");
        put(29, "ESPIPE");
        put(30, "EROFS");
        put(31, "EMLINK");
        put(32, "EPIPE");
        put(33, "EDOM");
        put(34, "ERANGE");
        put(35, "EDEADLK");
        put(36, "ENAMETOOLONG");
        put(37, "ENOLCK");
        put(38, "ENOSYS");
        put(39, "ENOTEMPTY");
        put(40, "ELOOP");
        put(42, "ENOMSG");
        put(43, "EIDRM");
        put(44, "ECHRNG");
        put(45, "EL2NSYNC");
        put(46, "EL3HLT");
        put(47, "EL3RST");
        put(48, "ELNRNG");
        put(49, "EUNATCH");
        put(50, "ENOCSI");
        put(51, "EL2HLT");
        put(52, "EBADE");
        put(53, "EBADR");
        put(54, "EXFULL");
        put(55, "ENOANO");
        put(56, "EBADRQC");
        put(57, "EBADSLT");
        put(59, "EBFONT");
        put(60, "ENOSTR");
        put(61, "ENODATA");
        put(62, "ETIME");
        put(63, "ENOSR");
        put(64, "ENONET");
        put(65, "ENOPKG");
        put(66, "EREMOTE");
        put(67, "ENOLINK");
        put(68, "EADV");
        put(69, "ESRMNT");
        put(70, "ECOMM");
        put(71, "EPROTO");
        put(72, "EMULTIHOP");
        put(73, "EDOTDOT");
        put(74, "EBADMSG");
        put(75, "EOVERFLOW");
        put(76, "ENOTUNIQ");
        put(77, "EBADFD");
        put(78, "EREMCHG");
        put(79, "ELIBACC");
        put(80, "ELIBBAD");
        put(81, "ELIBSCN");
        put(82, "ELIBMAX");
        put(83, "ELIBEXEC");
        put(84, "EILSEQ");
        put(85, "ERESTART");
        put(86, "ESTRPIPE");
        put(87, "EUSERS");
        put(88, "ENOTSOCK");
        put(89, "EDESTADDRREQ");
        put(90, "EMSGSIZE");
        put(91, "EPROTOTYPE");
        put(92, "ENOPROTOOPT");
        put(93, "EPROTONOSUPPORT");
        put(94, "ESOCKTNOSUPPORT");
        put(95, "EOPNOTSUPP");
        put(96, "EPFNOSUPPORT");
        put(97, "EAFNOSUPPORT");
        put(98, "EADDRINUSE");
        put(99, "EADDRNOTAVAIL");
        put(100, "ENETDOWN");
        put(101, "ENETUNREACH");
        put(102, "ENETRESET");
        put(103, "ECONNABORTED");
        put(104, "ECONNRESET");
        put(105, "ENOBUFS");
        put(106, "EISCONN");
        put(107, "ENOTCONN");
        put(108, "ESHUTDOWN");
        put(109, "ETOOMANYREFS");
        put(110, "ETIMEDOUT");
        put(111, "ECONNREFUSED");
        put(112, "EHOSTDOWN");
        put(113, "EHOSTUNREACH");
        put(114, "EALREADY");
        put(115, "EINPROGRESS");
        put(116, "ESTALE");
        put(117, "EUCLEAN");
        put(118, "ENOTNAM");
        put(119, "ENAVAIL");
        put(120, "EISNAM");
        put(121, "EREMOTEIO");
        put(122, "EDQUOT");
        put(123, "ENOMEDIUM");
        put(124, "EMEDIUMTYPE");
        put(125, "ECANCELED");
        put(126, "ENOKEY");
        put(127, "EKEYEXPIRED");
        put(128, "EKEYREVOKED");
        put(129, "EKEYREJECTED");
        put(130, "EOWNERDEAD");
        put(131, "ENOTRECOVERABLE");
        put(132, "ERFKILL");
    }

    private Errno() {}

    /** The symbolic name, e.g. {@code EPERM}, or {@code errno N} for a number this table lacks. */
    public static String name(int errno) {
        String name = NAMES.get(errno);
        return name != null ? name : "errno " + errno;
    }

    /** The C library's text for the number, e.g. {@code Operation not permitted}. */
    public static String text(int errno) {
        try {
            String text = LibC.strerror(errno);
            return text != null ? text : "Unknown error " + errno;
        } catch (RuntimeException | LinkageError e) {
            return "Unknown error " + errno;
        }
    }

    /** {@code EPERM (Operation not permitted)}. */
    public static String describe(int errno) {
        return name(errno) + " (" + text(errno) + ")";
    }

    /**
     * The message of a failed operation: {@code setns(net:[1]): EPERM (Operation not permitted): detail}, or
     * {@code operation: detail} where there is no errno.
     */
    public static String message(String operation, int errno, String detail) {
        StringBuilder text = new StringBuilder(operation).append(": ");
        if (errno != 0) {
            text.append(describe(errno));
            if (detail != null && !detail.isEmpty()) {
                text.append(": ").append(detail);
            }
        } else {
            text.append(detail == null ? "failed" : detail);
        }
        return text.toString();
    }
}
