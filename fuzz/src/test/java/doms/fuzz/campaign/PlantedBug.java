package doms.fuzz.campaign;

import com.pholser.junit.quickcheck.From;
import doms.fuzz.RawInput;
import edu.berkeley.cs.jqf.fuzz.Fuzz;
import edu.berkeley.cs.jqf.fuzz.JQF;
import java.io.IOException;
import java.io.InputStream;
import org.junit.runner.RunWith;

/**
 * A negative control for the campaign engine: a failure behind four nested byte comparisons,
 * which blind random inputs hit once in 2^32 and coverage guidance finds a byte at a time.
 */
@RunWith(JQF.class)
public class PlantedBug {
    @Fuzz
    public void magic(@From(RawInput.class) final InputStream in) throws IOException {
        final byte[] b = in.readNBytes(4);
        if (b.length == 4 && b[0] == 'D') {
            if (b[1] == 'O') {
                if (b[2] == 'M') {
                    if (b[3] == 'S') {
                        throw new AssertionError("planted bug reached");
                    }
                }
            }
        }
    }
}
