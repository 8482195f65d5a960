; Shared by gridcert.nsi (the installer) and uninstall.nsi (its Uninstall.exe).
; The defines below come from installer/windows/makensis.sh, which reads them from
; app/core/programs.py (executable names) and app/actions/reminder.py (the task name):
; never write a second copy of them here.

!ifndef GUI_EXE
  !error "GUI_EXE is not defined: build with installer/windows/makensis.sh (names from app/core/programs.py)"
!endif
!ifndef CLI_EXE
  !error "CLI_EXE is not defined: build with installer/windows/makensis.sh (names from app/core/programs.py)"
!endif
!ifndef REMINDER_TASK
  !error "REMINDER_TASK is not defined: build with installer/windows/makensis.sh (TASK_NAME from app/actions/reminder.py)"
!endif
!ifndef VERSION
  !error "VERSION is not defined: build with installer/windows/makensis.sh"
!endif
; VIProductVersion needs four numbers (a version such as "0.2.0rc1" cannot be one).
!ifndef VERSION_QUAD
  !define VERSION_QUAD "0.0.0.0"
!endif
!ifndef ICON_FILE
  !define ICON_FILE "..\..\resources\icons\app\gridcert.ico"
!endif

!define APP_NAME "GridCert"
!define PUBLISHER "GridCert"
!define PROGID "GridCert.Certificate"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\GridCert"
!define UNINSTALL_EXE "Uninstall.exe"
; The list of every file and folder the installer wrote, one "F path" / "D path" a line,
; relative to the program folder: the uninstaller removes exactly these.
!define MANIFEST "GridCert-files.txt"
!define MACHINE_ENV_KEY "SYSTEM\CurrentControlSet\Control\Session Manager\Environment"
!define FILE_TYPES ".pfx .p12 .cer .crt .p7b"

; Exit codes (installer/windows/README.md).
!define EXIT_CANCELLED 1
!define EXIT_ABORTED 2          ; nothing changed: a usage error, GridCert running, a write failed
!define EXIT_NO_PROFILE 3
!define EXIT_NEEDS_ELEVATION 740 ; Windows' ERROR_ELEVATION_REQUIRED

!include "LogicLib.nsh"
!include "FileFunc.nsh"
!include "WinMessages.nsh"
!include "x64.nsh"

VIProductVersion "${VERSION_QUAD}"
VIAddVersionKey "ProductName" "${APP_NAME}"
VIAddVersionKey "ProductVersion" "${VERSION}"
VIAddVersionKey "CompanyName" "${PUBLISHER}"
VIAddVersionKey "FileVersion" "${VERSION}"
VIAddVersionKey "LegalCopyright" "${PUBLISHER} authors"

; ---------------------------------------------------------------- the command line

Var ArgRest   ; what is left of the parameters
Var Arg       ; the current one, quotes removed

; Takes the next parameter off $ArgRest into $Arg, as Windows programs split a command
; line: blanks separate, double quotes group (anywhere in a parameter) and are removed.
; So "/PROFILE=C:\Site A\x.toml", /PROFILE="C:\Site A\x.toml" and /PROFILE=C:/x.toml all
; give one parameter. $Arg is empty only at the end.
Function NextArg
  Push $0
  Push $1
  StrCpy $Arg ""
  StrCpy $1 0
  ${Do}
    StrCpy $0 $ArgRest 1
    ${If} $0 == " "
    ${OrIf} $0 == "$\t"
      StrCpy $ArgRest $ArgRest "" 1
    ${Else}
      ${Break}
    ${EndIf}
  ${Loop}
  ${Do}
    StrCpy $0 $ArgRest 1
    ${If} $0 == ""
      ${Break}
    ${EndIf}
    StrCpy $ArgRest $ArgRest "" 1
    ${If} $0 == '"'
      IntOp $1 1 - $1
    ${ElseIf} $1 == 0
    ${AndIf} $0 == " "
      ${Break}
    ${ElseIf} $1 == 0
    ${AndIf} $0 == "$\t"
      ${Break}
    ${Else}
      StrCpy $Arg "$Arg$0"
    ${EndIf}
  ${Loop}
  Pop $1
  Pop $0
FunctionEnd

; ---------------------------------------------------------------- questions

; Test builds (-DTEST_AUTOPILOT, tests/integration/test_installer_wine.py only) answer
; every question with its silent default and log it to %GRIDCERT_TEST_LOG%, and click
; through the pages as %GRIDCERT_TEST_CLICKS% says, so that interactive paths run under
; Wine without a person. Release builds never define it.
!ifdef TEST_AUTOPILOT
Var ApClicks
Function ApLog
  Exch $0
  Push $1
  ReadEnvStr $1 GRIDCERT_TEST_LOG
  ClearErrors
  FileOpen $1 $1 a
  ${IfNot} ${Errors}
    FileSeek $1 0 END
    FileWrite $1 "$0$\r$\n"
    FileClose $1
  ${EndIf}
  Pop $1
  Pop $0
FunctionEnd
!ifdef AP_PAGES
; The next word of %GRIDCERT_TEST_CLICKS% into $0 ("" when none are left).
Function ApNextWord
  StrCpy $0 ""
  ${Do}
    StrCpy $1 $ApClicks 1
    StrCpy $ApClicks $ApClicks "" 1
    ${If} $1 == ""
    ${OrIf} $1 == " "
      ${If} $0 != ""
      ${OrIf} $1 == ""
        ${Break}
      ${EndIf}
    ${Else}
      StrCpy $0 "$0$1"
    ${EndIf}
  ${Loop}
FunctionEnd
!endif
!macro ApInit
  ReadEnvStr $ApClicks GRIDCERT_TEST_CLICKS
!macroend
!macro ApLine TEXT
  Push `${TEXT}`
  Call ApLog
!macroend
!else
!macro ApInit
!macroend
!macro ApLine TEXT
!macroend
!endif

; Tells something (OK only). Silent: no window.
!macro Tell TEXT
  !ifdef TEST_AUTOPILOT
    !insertmacro ApLine `tell: ${TEXT}`
  !else
    MessageBox MB_ICONSTOP|MB_OK `${TEXT}` /SD IDOK
  !endif
!macroend

; Asks Yes/No; OUT = 1 for Yes. Silent (and test builds): the answer is SD.
!macro AskYesNo OUT TEXT SD
  !ifdef TEST_AUTOPILOT
    !insertmacro ApLine `ask ${SD}: ${TEXT}`
    !if "${SD}" == "IDYES"
      StrCpy ${OUT} 1
    !else
      StrCpy ${OUT} 0
    !endif
  !else
    StrCpy ${OUT} 0
    MessageBox MB_YESNO|MB_ICONQUESTION `${TEXT}` /SD ${SD} IDNO +2
    StrCpy ${OUT} 1
  !endif
!macroend

; Asks Retry/Cancel; OUT = 1 for Retry. Silent (and test builds): Cancel.
!macro AskRetry OUT TEXT
  !ifdef TEST_AUTOPILOT
    !insertmacro ApLine `ask IDCANCEL: ${TEXT}`
    StrCpy ${OUT} 0
  !else
    StrCpy ${OUT} 0
    MessageBox MB_RETRYCANCEL|MB_ICONEXCLAMATION `${TEXT}` /SD IDCANCEL IDCANCEL +2
    StrCpy ${OUT} 1
  !endif
!macroend

; ---------------------------------------------------------------- rights

; OUT = 1 when this process runs elevated. With UAC the filtered token of an
; administrator reports "User", so this is 1 only when really elevated.
; -DSIMULATE_STANDARD_USER (test builds only; Wine runs everything as administrator)
; answers as a standard user would, unless ELEVATED_FLAG is 1 (the process was started
; again through "runas" by GridCert itself).
!macro CheckAdmin OUT ELEVATED_FLAG
  !ifdef SIMULATE_STANDARD_USER
    StrCpy ${OUT} ${ELEVATED_FLAG}
  !else
    UserInfo::GetAccountType
    Pop ${OUT}
    ${If} ${OUT} == "Admin"
      StrCpy ${OUT} 1
    ${Else}
      StrCpy ${OUT} 0
    ${EndIf}
  !endif
!macroend

; ---------------------------------------------------------------- GridCert running?

Var LockedFile

Function LockCallback
  ClearErrors
  FileOpen $0 $R9 a
  ${If} ${Errors}
    StrCpy $LockedFile $R9
    StrCpy $0 StopLocate
    ClearErrors
  ${Else}
    FileClose $0
    StrCpy $0 ""
  ${EndIf}
  Push $0
FunctionEnd

; $LockedFile = the first of GridCert's files in $INSTDIR that another process holds open
; (GridCert, or its CLI, running: Windows denies writing a loaded EXE or DLL), else "".
Function FindLockedFile
  StrCpy $LockedFile ""
  ${If} ${FileExists} "$INSTDIR\${GUI_EXE}"
    Push "$INSTDIR\${GUI_EXE}"
    Push "$INSTDIR\${CLI_EXE}"
    ${For} $1 1 2
      Pop $2
      ${If} $LockedFile == ""
      ${AndIf} ${FileExists} $2
        ClearErrors
        FileOpen $0 $2 a
        ${If} ${Errors}
          StrCpy $LockedFile $2
        ${Else}
          FileClose $0
        ${EndIf}
      ${EndIf}
    ${Next}
  ${EndIf}
  ${If} $LockedFile == ""
  ${AndIf} ${FileExists} "$INSTDIR\_internal\*.*"
    ${Locate} "$INSTDIR\_internal" "/L=F /G=1" LockCallback
  ${EndIf}
FunctionEnd

; Stops (exit 2, nothing changed) while GridCert is running from $INSTDIR; interactive
; runs ask to close it and try again.
!macro RequireNotRunning WHAT
  ${Do}
    Call FindLockedFile
    ${If} $LockedFile == ""
      ${Break}
    ${EndIf}
    DetailPrint "In use: $LockedFile"
    !insertmacro AskRetry $0 "GridCert is running (it holds $LockedFile). Close GridCert, then choose Retry to ${WHAT}."
    ${If} $0 != 1
      SetErrorLevel ${EXIT_ABORTED}
      Abort "GridCert is running: nothing was changed."
    ${EndIf}
  ${Loop}
!macroend

; ---------------------------------------------------------------- PATH

; $2 = the PATH string $0 without the entries equal to the folder $1 (ignoring case and a
; trailing backslash); $3 = 1 when there was such an entry.
Function PathWithout
  Push $4
  Push $5
  Push $6
  StrCpy $2 ""
  StrCpy $3 0
  StrCpy $4 $0
  ${Do}
    ; $5 = the next entry
    StrCpy $5 ""
    ${Do}
      StrCpy $6 $4 1
      StrCpy $4 $4 "" 1
      ${If} $6 == ""
      ${OrIf} $6 == ";"
        ${Break}
      ${EndIf}
      StrCpy $5 "$5$6"
    ${Loop}
    StrCpy $6 $5 "" -1
    ${If} $6 == "\"
      StrCpy $6 $5 -1
    ${Else}
      StrCpy $6 $5
    ${EndIf}
    ${If} $6 == $1
      StrCpy $3 1
    ${ElseIf} $5 != ""
      ${If} $2 == ""
        StrCpy $2 $5
      ${Else}
        StrCpy $2 "$2;$5"
      ${EndIf}
    ${EndIf}
    ${If} $4 == ""
      ${Break}
    ${EndIf}
  ${Loop}
  Pop $6
  Pop $5
  Pop $4
FunctionEnd
