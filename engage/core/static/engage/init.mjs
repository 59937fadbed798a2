// Starts NHS.UK frontend's components (header menu, error summary focus, and so on).
import { initAll } from "../vendor/nhsuk/nhsuk-frontend.min.js";

initAll();
