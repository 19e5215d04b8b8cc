// Harness self-test: an uncaught error makes Wine's cscript print nothing and exit 0, so the
// marker line below is never reached and run-script.sh must report a failure.
var image = new ActiveXObject("IMAPI2FS.MsftFileSystemImage");
image.VolumeName = "A volume label much longer than thirty-two characters";
WScript.Echo("OPENFSI SCRIPT PASSED");
