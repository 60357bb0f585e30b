package doms.tlc;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.rmi.Remote;
import java.rmi.server.UnicastRemoteObject;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Starts TLC's {@code tlc2.tool.distributed.TLCServer} in a JVM whose class path holds
 * tla2tools.jar and this class, doing what {@code TLCServer.main} does plus one step.
 *
 * <p>Why not {@code TLCServer.main} itself: since TLC commit 6fde5a9 (Feb 2026, in v1.8.0) the
 * fingerprint set no longer extends {@code UnicastRemoteObject}, so the server's
 * {@code NonDistributedFPSetManager} reaches a worker by value and the worker fails with
 * {@code NotSerializableException: tlc2.tool.fp.MultiFPSet}. Exporting that fingerprint set
 * before model checking starts lets RMI send a stub again, as before that change, so every worker
 * checks and adds fingerprints in the one set on the server. Reflection only: doms does not
 * compile against tla2tools.jar, which it finds at run time.
 *
 * <p>And why the RMI log: when a worker finds a violation, TLCServer prints the trace but not the
 * worker's message ("Error: Invariant X is violated."), so its output does not name the property.
 * The JDK's RMI client logs every exception a remote call returns; a handler on that log prints a
 * worker's message in TLC's words before the server prints the trace. Two workers may report two
 * violations at once; both are printed, and the first one printed is the one whose trace follows
 * unless they raced.
 */
public final class DistributedServerMain {
    /** Held: java.util.logging keeps loggers only weakly, and a collected one loses its handler. */
    private static final Logger RMI_CLIENT_CALLS = Logger.getLogger("sun.rmi.client.call");

    private DistributedServerMain() {
    }

    public static void main(final String[] args) throws Exception {
        printWorkerErrors();
        int status = 0;
        try {
            Class.forName("tlc2.TLCGlobals").getMethod("setNumWorkers", int.class).invoke(null, 0);
            final Class<?> appClass = Class.forName("tlc2.tool.distributed.TLCApp");
            final Object app = appClass.getMethod("create", String[].class).invoke(null, (Object) args);
            if (app == null) {
                System.exit(2); // TLCApp printed the usage error
            }
            final Class<?> serverClass = Class.forName("tlc2.tool.distributed.TLCServer");
            System.out.println("TLC Server (started by doms; fingerprint set exported over RMI)");
            final Object server = serverClass.getConstructor(appClass).newInstance(app);
            final Object manager = serverClass.getField("fpSetManager").get(server);
            final Field fpSet = manager.getClass().getDeclaredField("fpSet");
            fpSet.setAccessible(true);
            final Object set = fpSet.get(manager);
            if (!(set instanceof UnicastRemoteObject)) {
                UnicastRemoteObject.exportObject((Remote) set, 0);
            }
            final Method modelCheck = serverClass.getDeclaredMethod("modelCheck");
            modelCheck.setAccessible(true);
            modelCheck.invoke(server);
        } catch (InvocationTargetException e) {
            // In TLC's own words, so that TlcOutput reads it as TLC failing, not as a verdict.
            System.out.println("Error: TLC server failed: " + e.getCause());
            e.getCause().printStackTrace(System.out);
            status = 1;
        }
        System.out.flush();
        // The RMI registry the server created keeps the JVM alive after model checking.
        System.exit(status);
    }

    private static void printWorkerErrors() {
        RMI_CLIENT_CALLS.setUseParentHandlers(false);
        RMI_CLIENT_CALLS.setLevel(Level.FINE); // the level at which the JDK logs an exception a call returned
        RMI_CLIENT_CALLS.addHandler(new Handler() {
            @Override
            public void publish(final LogRecord record) {
                final Throwable thrown = record.getThrown();
                if (thrown != null && thrown.getClass().getName().equals("tlc2.tool.WorkerException")) {
                    final String message = String.valueOf(thrown.getMessage()).strip();
                    System.out.println(message.startsWith("Error:") ? message : "Error: " + message);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
    }
}
