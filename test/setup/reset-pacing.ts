// Sonarly's pacing is shared by every execution of one process (transport/pacing.ts), which
// in jest means every test of a file: a 429 one test provokes would hold or slow the next.
// Each test starts with no pacing learned.
import { resetPacing } from '../../nodes/Sonarly/transport/pacing';

beforeEach(() => resetPacing());
